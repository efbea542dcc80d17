import * as path from 'node:path';
import { openDataset } from '../dataset';
import type { Dataset, DatasetItem } from '../dataset';
import { itemVectors } from '../ml/similarity/datasetVectors';
import { SimilarityIndex } from '../ml/similarity/similarityIndex';
import { regionSearchJob } from '../ml/region/regionJob';
import type { RegionBox } from '../shared/protocol';
import type { CliCommand } from './command';
import { parseCommandArgs, UsageError } from './command';
import { chooseBackbone, intOption, openSession, stderrProgress, writeJson } from './mlCommon';

/** Version of the JSON `similar --out` writes. */
export const SIMILAR_OUTPUT_VERSION = 1;

export const similarCommand: CliCommand = {
  usage: 'similar DATASET ITEM [--k K] [--region X,Y,W,H] [--files LIST] [--backbone DIR|URL] [--backbone-sha256 HEX] --out FILE.json',
  summary:
    'The K (default 20) images most like ITEM (its id, or its path) by embedding cosine, ITEM itself left out. With --region (a box in fractions of the image, e.g. 0.8,0,0.2,0.15), those holding something most like that box of ITEM, with where.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      k: { type: 'string' },
      region: { type: 'string' },
      files: { type: 'string' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
      out: { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError(positionals.length < 2 ? 'missing DATASET or ITEM' : `unexpected arguments: ${positionals.slice(2).join(' ')}`);
    const [root, itemArg] = positionals;
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const k = intOption('k', values.k) ?? 20;
    const dataset = await openDataset(root, { files: values.files });
    const byPath = path.resolve(itemArg);
    const item = dataset.items.find((i) => i.id === itemArg) ?? dataset.items.find((i) => i.absPath === byPath);
    if (!item) throw new Error(`no item ${itemArg} in ${dataset.root}`);
    if (values.region !== undefined) return similarRegion(dataset, item, parseRegion(values.region), k, values);
    const session = await openSession(root, chooseBackbone(values.backbone), values['backbone-sha256']);
    try {
      const embedded = await itemVectors(session, dataset.items, { onProgress: stderrProgress() });
      const row = embedded.items.indexOf(item);
      if (row < 0) throw new Error(`${item.id} has no embedding: ${item.error ?? 'the image could not be read'}`);
      const started = performance.now();
      const index = SimilarityIndex.ofTable(embedded.table);
      const built = performance.now();
      const neighbours = index.nearestToRow(row, k).map((n) => ({ id: embedded.items[n.index].id, similarity: n.similarity }));
      const queried = performance.now();
      await writeJson(values.out, { version: SIMILAR_OUTPUT_VERSION, item: item.id, k, approximate: index.approximate, neighbours });
      process.stderr.write(
        `${neighbours.length} neighbours of ${item.id} among ${index.size} items (index ${(built - started).toFixed(0)} ms, query ${(queried - built).toFixed(1)} ms); written to ${values.out}\n`,
      );
      return 0;
    } finally {
      await session.close();
    }
  },
};

/** `X,Y,W,H` as a box inside the image. */
function parseRegion(text: string): RegionBox {
  const [x, y, w, h] = text.split(',').map(Number);
  if (![x, y, w, h].every(Number.isFinite) || x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > 1 || y + h > 1) {
    throw new UsageError(`--region must be X,Y,W,H in fractions of the image, inside it (got ${text})`);
  }
  return { x, y, w, h };
}

async function similarRegion(dataset: Dataset, item: DatasetItem, box: RegionBox, k: number, values: { backbone?: string; 'backbone-sha256'?: string; out?: string }): Promise<number> {
  const items = dataset.items.flatMap((i) => (i.hash && !i.error ? [{ id: i.id, hash: i.hash, path: i.absPath }] : []));
  let said = 0;
  const answer = await regionSearchJob(
    { root: dataset.root, items, queryId: item.id, box, k, backbone: chooseBackbone(values.backbone), backboneSha256: values['backbone-sha256'] },
    {
      signal: new AbortController().signal,
      progress: ({ message }) => {
        if (Date.now() - said < 1000) return;
        said = Date.now();
        process.stderr.write(`${message}\n`);
      },
    },
  );
  await writeJson(values.out!, { version: SIMILAR_OUTPUT_VERSION, item: item.id, k, region: box, neighbours: answer.matches });
  const unreadable = answer.unreadable.length ? `, ${answer.unreadable.length} unreadable` : '';
  process.stderr.write(`${answer.matches.length} images with a region like ${item.id}'s among ${answer.searched} (${answer.computed} read now${unreadable}); written to ${values.out}\n`);
  return 0;
}
