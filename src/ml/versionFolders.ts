// Numbered version folders (`vN/` with a `version.json`), as single-label and multi-label models are kept. No
// TensorFlow.js here: the extension host lists versions too.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The N of every `vN/` under `root` that holds a `version.json`, ascending. */
export async function versionNumbersIn(root: string): Promise<number[]> {
  const names = await fs.promises.readdir(root).catch(() => [] as string[]);
  return names
    .flatMap((name) => {
      const m = /^v(\d+)$/.exec(name);
      return m && fs.existsSync(path.join(root, name, 'version.json')) ? [Number(m[1])] : [];
    })
    .sort((a, b) => a - b);
}

/**
 * Saves the next version `v(N+1)` under `root`: `fill` writes its files into a temporary folder, `infoFor` gives its
 * `version.json` for the number it gets, and the folder is renamed into place, so a reader never sees half a version
 * and two concurrent trainings get different numbers.
 */
export async function saveNextVersion<T>(root: string, fill: (tmp: string) => Promise<void>, infoFor: (modelVersion: number) => T): Promise<{ dir: string; info: T }> {
  await fs.promises.mkdir(root, { recursive: true });
  const tmp = path.join(root, `.tmp-${process.pid}-${Date.now()}`);
  await fs.promises.mkdir(tmp);
  try {
    await fill(tmp);
    for (let attempt = 0; attempt < 100; attempt++) {
      const modelVersion = ((await versionNumbersIn(root)).at(-1) ?? 0) + 1;
      const info = infoFor(modelVersion);
      await fs.promises.writeFile(path.join(tmp, 'version.json'), `${JSON.stringify(info, null, 2)}\n`);
      const dir = path.join(root, `v${modelVersion}`);
      try {
        await fs.promises.rename(tmp, dir);
        return { dir, info };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      }
    }
    throw new Error(`could not allocate a model version number in ${root}`);
  } catch (error) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
