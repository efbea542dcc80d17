// The backbone that ships inside the extension (and the npm package): MobileNetV2 α = 0.35, 224 × 224, ImageNet
// weights, no top, in `models/mobilenet_v2_0.35_224/` at the package root (Apache-2.0; NOTICE.md and LICENSE beside it).
// Settings, the CLI and model versions name it by a location that is the same on every machine, `builtin:<name>`,
// so a version trained in one install opens in another. No TensorFlow.js here: the extension host reads it too.
import * as path from 'node:path';
import { packageFile } from '../dataset/packageFiles';

export const BUILTIN_BACKBONE_NAME = 'mobilenet_v2_0.35_224';

/** The location string of the built-in backbone, as settings, `--backbone` and `version.json` hold it. */
export const BUILTIN_BACKBONE = `builtin:${BUILTIN_BACKBONE_NAME}`;

/** SHA-256 of its `model.json` followed by its shard (see `Backbone.digest`): the shipped files are verified against it. */
export const BUILTIN_BACKBONE_DIGEST = '67d091489aa45f9139cad49b22497384a349f045674afef58bad60e211e4cb30';

/** What the side bar and the status bar call it. */
export const BUILTIN_BACKBONE_TITLE = 'built-in MobileNetV2 (α 0.35, 224 px, ImageNet)';

export function isBuiltinLocation(location: string): boolean {
  return location === BUILTIN_BACKBONE || location === '' || location === 'builtin';
}

/** The shipped folder (found from wherever this code runs: `dist/` or the tests' `out/`). */
export function builtinBackboneDir(): string {
  return path.dirname(packageFile(path.join('models', BUILTIN_BACKBONE_NAME, 'model.json')));
}

/** A backbone setting or option resolved to where the files are and the digest they must have. */
export interface ResolvedBackbone {
  /** Folder or URL to read. */
  source: string;
  /** Pinned digest: always for the built-in one, else what the caller gave. */
  sha256: string | undefined;
  /** Name for the backbone id: the same for the built-in one as for a copy of its folder, so caches are shared. */
  name: string;
}

/** Maps the built-in location (or an empty setting) onto the shipped folder, pinned; other locations pass through. */
export function resolveBackboneLocation(location: string, sha256?: string): ResolvedBackbone {
  if (isBuiltinLocation(location)) return { source: builtinBackboneDir(), sha256: BUILTIN_BACKBONE_DIGEST, name: BUILTIN_BACKBONE_NAME };
  const trimmed = location.replace(/\/model\.json$/, '').replace(/[\\/]+$/, '');
  return { source: location, sha256, name: trimmed.split(/[\\/]/).pop() || 'backbone' };
}

/** How a backbone location reads to a person: the built-in title, else the folder or URL. */
export function describeBackbone(location: string): string {
  return isBuiltinLocation(location) ? BUILTIN_BACKBONE_TITLE : location;
}
