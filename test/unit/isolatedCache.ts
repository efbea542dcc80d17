// Loaded first by the unit tier (`require` in .mocharc.json): every test, and every process a test starts, gets a
// throwaway user cache, so stand-in state folders of the read-only shared data never leak between runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-unit-cache-'));
process.env.XDG_CACHE_HOME = cache;
process.on('exit', () => fs.rmSync(cache, { recursive: true, force: true }));
