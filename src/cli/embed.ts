import { openDataset } from '../dataset';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { chooseBackbone, openSession, stderrProgress, writeJson } from './mlCommon';

/** Version of the JSON `embed --out` writes. */
export const EMBED_OUTPUT_VERSION = 1;

/** `I/N` of `--shard`: shard I (from 0) of N. */
function parseShard(value: string | undefined): { index: number; count: number } | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(count >= 1 && index >= 0 && index < count)) throw new UsageError(`--shard must be I/N with 0 <= I < N, got ${value}`);
  return { index, count };
}

/** The shard an image belongs to, by its content hash: the same on every node, and duplicates share one. */
export function shardOf(hash: string, count: number): number {
  return parseInt(hash.slice(0, 8), 16) % count;
}

export const embedCommand: CliCommand = {
  usage: 'embed DATASET [--files LIST] [--shard I/N | --merge] [--backbone DIR|URL|builtin] [--backbone-sha256 HEX] [--out FILE.json]',
  summary:
    'Embeds every image not yet cached (resumable: what is embedded stays). --shard I/N embeds one content-hash shard into its own cache file, ' +
    'for one node of a cluster array job; --merge folds the shard files into the cache.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      files: { type: 'string' },
      shard: { type: 'string' },
      merge: { type: 'boolean' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    const shard = parseShard(values.shard);
    if (shard && values.merge) throw new UsageError('--shard and --merge are separate steps: embed the shards, then merge once');
    const cacheFile = shard ? `vectors.shard-${shard.index}-of-${shard.count}.bin` : undefined;
    const session = await openSession(root, chooseBackbone(values.backbone), values['backbone-sha256'], cacheFile);
    try {
      let output: Record<string, unknown>;
      if (values.merge) {
        const merged = await session.cache.mergeShards();
        output = { version: EMBED_OUTPUT_VERSION, merged, vectors: session.cache.size, cacheDir: session.cache.dir };
        process.stderr.write(`${merged} shard files merged: ${session.cache.size} vectors in ${session.cache.dir}\n`);
      } else {
        const dataset = await openDataset(root, { files: values.files });
        const items = dataset.items.filter((item) => item.hash && !item.error && (!shard || shardOf(item.hash, shard.count) === shard.index));
        const cached = items.filter((item) => session.cache.has(item.hash!)).length;
        const { errors } = await session.embedItems(items, { onProgress: stderrProgress() });
        const unreadable = errors.filter(Boolean).length;
        output = {
          version: EMBED_OUTPUT_VERSION,
          shard,
          backbone: session.backbone.id,
          engine: session.info.engine,
          items: items.length,
          embedded: items.length - cached - unreadable,
          cached,
          unreadable,
          cacheFile: session.cache.appendFile,
        };
        process.stderr.write(`${items.length} images${shard ? ` in shard ${shard.index}/${shard.count}` : ''}: ${output.embedded} embedded, ${cached} cached, ${unreadable} unreadable\n`);
      }
      if (values.out) await writeJson(values.out, output);
      else process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
