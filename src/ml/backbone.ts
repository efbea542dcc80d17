// Loads the frozen feature extractor (a TensorFlow.js layers model): the built-in one, a folder or an https:// URL.
// A URL is downloaded once into a cache folder and verified against a SHA-256 before use.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveBackboneLocation } from './builtinBackbone';
import { initEngine } from './engine';
import { modelFromParts } from './layersModelIO';

/** The parts of a layers-model `model.json` we read. */
interface ModelJson {
  format?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** The model files of a backbone, in digest order: `model.json`, then the shards in manifest order. */
interface ModelFiles {
  modelJson: ModelJson;
  modelJsonBytes: Buffer;
  shards: Buffer[];
}

export interface Backbone {
  /** `<name>@<first 16 hex digits of the digest>`: part of every embedding-cache key and model version. */
  id: string;
  /** SHA-256 (hex) of `model.json` followed by its weight shards in manifest order. */
  digest: string;
  /** Local folder that holds `model.json` and the shards (the cache folder for a URL). */
  dir: string;
  /** The Keras/TF.js layers model (all layers trainable as saved; freeze them before fine-tuning). */
  model: tf.LayersModel;
  /** Input height and width in pixels, from the model's input shape. */
  inputSize: [number, number];
  /** Shape of one output feature map, e.g. `[7, 7, 1280]`. */
  featureShape: number[];
  /** Length of the pooled embedding: the last dimension of the feature map. */
  featureDim: number;
}

export interface LoadBackboneOptions {
  /** Expected digest (see {@link Backbone.digest}); required to trust a download, optional for a folder. */
  sha256?: string;
  /** Where downloads are cached (the extension's global storage). Required for a URL. */
  cacheDir?: string;
  /** Input size to use when the model's input shape leaves it open. Default `[224, 224]`. */
  defaultInputSize?: [number, number];
  signal?: AbortSignal;
}

/** Format version of the `source.json` written next to a downloaded backbone. */
const DOWNLOAD_RECORD_VERSION = 1;

function parseModelJson(bytes: Buffer, where: string): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${where}: model.json is not valid JSON (${(error as Error).message})`);
  }
  const m = json as Partial<ModelJson>;
  if (typeof m !== 'object' || m === null || !m.modelTopology || !Array.isArray(m.weightsManifest)) {
    throw new Error(`${where}: model.json is not a TensorFlow.js model (needs modelTopology and weightsManifest)`);
  }
  if (m.format !== undefined && m.format !== 'layers-model') {
    throw new Error(`${where}: model.json has format "${m.format}"; only TensorFlow.js layers models are supported`);
  }
  return m as ModelJson;
}

function shardPaths(modelJson: ModelJson): string[] {
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  for (const p of paths) {
    // Shard names come from a possibly remote file: keep them inside the model folder.
    if (path.isAbsolute(p) || p.split(/[\\/]/).includes('..')) throw new Error(`unsafe weight shard path in model.json: ${p}`);
  }
  return paths;
}

function digestOf(files: ModelFiles): string {
  const hash = crypto.createHash('sha256').update(files.modelJsonBytes);
  for (const shard of files.shards) hash.update(shard);
  return hash.digest('hex');
}

async function readFolder(dir: string): Promise<ModelFiles> {
  const jsonPath = path.join(dir, 'model.json');
  let modelJsonBytes: Buffer;
  try {
    modelJsonBytes = await fs.promises.readFile(jsonPath);
  } catch {
    throw new Error(`backbone folder has no readable model.json: ${dir}`);
  }
  const modelJson = parseModelJson(modelJsonBytes, dir);
  const shards = await Promise.all(
    shardPaths(modelJson).map(async (p) => {
      try {
        return await fs.promises.readFile(path.join(dir, p));
      } catch {
        throw new Error(`backbone weight shard missing: ${path.join(dir, p)}`);
      }
    }),
  );
  return { modelJson, modelJsonBytes, shards };
}

async function fetchBytes(url: string, signal: AbortSignal | undefined): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw new Error(`cannot download ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`cannot download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

async function download(url: string, signal: AbortSignal | undefined): Promise<ModelFiles> {
  const modelJsonBytes = await fetchBytes(url, signal);
  const modelJson = parseModelJson(modelJsonBytes, url);
  const shards: Buffer[] = [];
  for (const p of shardPaths(modelJson)) shards.push(await fetchBytes(new URL(p, url).href, signal));
  return { modelJson, modelJsonBytes, shards };
}

/** Writes the files into a fresh folder and renames it into place, so a crash never leaves a half cache. */
async function writeFolder(dir: string, files: ModelFiles, record: object): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await fs.promises.mkdir(tmp, { recursive: true });
  await fs.promises.writeFile(path.join(tmp, 'model.json'), files.modelJsonBytes);
  const paths = shardPaths(files.modelJson);
  for (let i = 0; i < paths.length; i++) {
    await fs.promises.mkdir(path.dirname(path.join(tmp, paths[i])), { recursive: true });
    await fs.promises.writeFile(path.join(tmp, paths[i]), files.shards[i]);
  }
  await fs.promises.writeFile(path.join(tmp, 'source.json'), JSON.stringify(record, null, 2));
  await fs.promises.rm(dir, { recursive: true, force: true });
  await fs.promises.rename(tmp, dir);
}

/** Returns the cached copy of a URL when it is complete and (if pinned) matches the digest; else downloads it. */
async function fetchCached(url: string, options: LoadBackboneOptions): Promise<{ dir: string; files: ModelFiles }> {
  if (!options.cacheDir) throw new Error(`a cache folder is needed to download the backbone from ${url}`);
  if (!options.sha256) throw new Error(`the backbone URL ${url} needs its SHA-256 to be set, so the download can be verified`);
  const key = crypto.createHash('sha256').update(url).digest('hex').slice(0, 16);
  const dir = path.join(options.cacheDir, 'backbones', key);
  if (fs.existsSync(path.join(dir, 'source.json'))) {
    try {
      const files = await readFolder(dir);
      if (digestOf(files) === options.sha256.toLowerCase()) return { dir, files };
    } catch {
      // A damaged cache is replaced by a fresh download below.
    }
  }
  const files = await download(url, options.signal);
  const digest = digestOf(files);
  if (digest !== options.sha256.toLowerCase()) {
    throw new Error(`backbone download from ${url} has SHA-256 ${digest}, expected ${options.sha256}`);
  }
  await writeFolder(dir, files, { version: DOWNLOAD_RECORD_VERSION, url, digest, downloadedAt: new Date().toISOString() });
  return { dir, files };
}

/** The digest to pin a backbone folder with (the `sha256` option and the backbone setting). */
export async function backboneDigest(dir: string): Promise<string> {
  return digestOf(await readFolder(path.resolve(dir)));
}

export interface BackboneFiles {
  /** See {@link Backbone.id}. */
  id: string;
  digest: string;
  /** Local folder with `model.json` and shards: the given folder, or the verified download cache. */
  dir: string;
}

async function resolveFiles(location: string, options: LoadBackboneOptions): Promise<BackboneFiles & { files: ModelFiles }> {
  const { source, sha256, name } = resolveBackboneLocation(location, options.sha256);
  const isUrl = /^https?:\/\//i.test(source);
  const { dir, files } = isUrl ? await fetchCached(source, { ...options, sha256 }) : { dir: path.resolve(source), files: await readFolder(path.resolve(source)) };
  const digest = digestOf(files);
  if (!isUrl && sha256 && sha256.toLowerCase() !== digest) {
    throw new Error(`backbone in ${dir} has SHA-256 ${digest}, expected ${sha256}`);
  }
  return { id: `${name}@${digest.slice(0, 16)}`, digest, dir, files };
}

/**
 * Makes a backbone available locally without loading it (downloads and verifies a URL once), so worker
 * threads can load it from `dir`.
 */
export async function fetchBackbone(location: string, options: LoadBackboneOptions = {}): Promise<BackboneFiles> {
  const { id, digest, dir } = await resolveFiles(location, options);
  return { id, digest, dir };
}

/**
 * Loads a backbone: the built-in one (`builtin:…` or an empty location), a local folder (`model.json` + shards) or
 * an `https://`/`http://` URL of a `model.json`.
 * Initialises the TensorFlow.js engine if needed. The caller owns `model` and must `dispose()` it.
 */
export async function loadBackbone(location: string, options: LoadBackboneOptions = {}): Promise<Backbone> {
  await initEngine();
  const { id, digest, dir, files } = await resolveFiles(location, options);
  const model = await modelFromParts(files.modelJson.modelTopology, files.modelJson.weightsManifest, files.shards);
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  if (inShape.length !== 4 || inShape[3] !== 3 || outShape.length !== 4) {
    model.dispose();
    throw new Error(`backbone in ${dir} must map [batch, h, w, 3] images to [batch, h', w', c] feature maps; it has input ${JSON.stringify(inShape)} and output ${JSON.stringify(outShape)}`);
  }
  const fallback = options.defaultInputSize ?? [224, 224];
  const inputSize: [number, number] = [inShape[1] ?? fallback[0], inShape[2] ?? fallback[1]];
  const featureShape = model.computeOutputShape([1, inputSize[0], inputSize[1], 3]) as number[];
  return {
    id,
    digest,
    dir,
    model,
    inputSize,
    featureShape: featureShape.slice(1),
    featureDim: featureShape[3],
  };
}
