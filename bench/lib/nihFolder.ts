// NIH ChestX-ray14 at the size it is distributed (112,120 images): the shared rows repeated under new image names and
// patients, each image a hard link, for the benchmarks that import, scan or show it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linkOrCopy } from '../../test/support/mirror';
import { NIH14_DIR, requireShared } from '../../test/support/shared';
import { once } from './workspace';

/** `rows` NIH rows: the shared rows repeated under new image names and patients, each image a hard link. */
export function nihFolder(work: string, rows: number): string {
  return once(path.join(work, `multilabel-nih-${rows}`), (dir) => {
    const source = requireShared(NIH14_DIR);
    const [header, ...lines] = fs.readFileSync(path.join(source, 'Data_Entry_2017.csv'), 'utf8').trim().split('\n');
    const out = [header];
    for (let i = 0; i < rows; i++) {
      const fields = lines[i % lines.length].split(',');
      const patient = Math.floor(i / 3) + 1;
      const name = `${String(patient).padStart(8, '0')}_${String(i % 3).padStart(3, '0')}.png`;
      linkOrCopy(path.join(source, 'images', fields[0]), path.join(dir, 'images', name));
      out.push([name, fields[1], String(i % 3), String(patient), ...fields.slice(4)].join(','));
    }
    fs.writeFileSync(path.join(dir, 'Data_Entry_2017.csv'), `${out.join('\n')}\n`);
  });
}
