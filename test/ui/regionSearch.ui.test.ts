import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { seededRandom } from '../../src/ml/splits';
import type { RegionBox } from '../../src/shared/protocol';
import { makeCxrSubset } from '../support/cxrSubset';
import { boxesOverlap, plantMarker } from '../support/plantMarker';
import { tilesInReadingOrder, Workbench } from './workbench';

const MARKED = 4;

// "Find this region" as a curator uses it on burned-in markers: a box dragged over an "L" in the detail view lists the
// other films with an "L", and each shows where its match is. Nothing needs to be scored first.
describe('UI: find this region (a burned-in marker)', () => {
  let root: string;
  let workbench: Workbench;
  let gallery: Frame;
  const truth = new Map<string, RegionBox>();

  before(async () => {
    root = makeCxrSubset(10);
    const random = seededRandom(5);
    for (const [i, folder] of ['COVID', 'NORMAL', 'PNEUMONIA', 'COVID'].entries()) {
      const source = fs.readdirSync(path.join(root, folder)).sort()[i + 2];
      const id = `${folder}/marked-${i}.png`;
      truth.set(id, await plantMarker(path.join(root, folder, source), path.join(root, id), random));
    }
    workbench = await Workbench.open(root);
  });

  after(async () => {
    await workbench?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const bar = (): ReturnType<Frame['locator']> => gallery.locator('.item-list');
  const shownIds = (): Promise<string[]> => tilesInReadingOrder(gallery);
  /** The image's box on the page, and a box on it in fractions turned into page pixels. */
  const onPage = async (box: RegionBox): Promise<{ x: number; y: number; w: number; h: number }> => {
    const image = (await gallery.locator('.stage img.full').boundingBox())!;
    return { x: image.x + box.x * image.width, y: image.y + box.y * image.height, w: box.w * image.width, h: box.h * image.height };
  };

  it('a box dragged over the "L" of one film lists the other marked films first, and outlines each match', async () => {
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    gallery = await workbench.webviewFrame('.tile img');
    const query = 'COVID/marked-0.png';
    await gallery.locator('input.search').fill('marked-0');
    await gallery.locator(`.tile:not([hidden])[data-id="${query}"]`).dblclick();
    await gallery.locator('.detail:not([hidden]) .stage img.full').waitFor();
    await gallery.waitForFunction(() => (document.querySelector('.stage img.full') as HTMLImageElement).complete);
    await gallery.getByRole('button', { name: 'Find region…' }).click();
    const letter = await onPage(truth.get(query)!);
    const { mouse } = workbench.page;
    await mouse.move(letter.x, letter.y);
    await mouse.down();
    await mouse.move(letter.x + letter.w / 2, letter.y + letter.h / 2, { steps: 4 });
    await mouse.move(letter.x + letter.w, letter.y + letter.h, { steps: 4 });
    await mouse.up();
    await bar().filter({ hasText: `images with a region most like the box on ${query}` }).waitFor({ timeout: 120_000 });
    assert.equal(await gallery.locator('.detail').isHidden(), true, 'the detail view closes onto the list');
    const ids = await shownIds();
    assert.equal(ids[0], query);
    const top = ids.slice(1, 1 + 2 * (MARKED - 1));
    const found = top.filter((id) => truth.has(id));
    assert.ok(found.length >= 2, `only ${found.length} of ${MARKED - 1} marked films in the top ${top.length}: ${top.join(', ')}`);
    assert.match((await bar().textContent()) ?? '', /among 34,/);
    await workbench.screenshot('region-search-list');

    // The detail view of a match outlines where the match is: on its letter.
    const match = found[0];
    await gallery.locator(`.tile:not([hidden])[data-id="${match}"]`).dblclick();
    const outline = gallery.locator('.detail:not([hidden]) .region-box[data-kind="match"]:not([hidden])');
    await outline.waitFor();
    await gallery.waitForFunction(() => (document.querySelector('.stage img.full') as HTMLImageElement).complete);
    const drawn = (await outline.boundingBox())!;
    const expected = await onPage(truth.get(match)!);
    assert.ok(boxesOverlap({ x: drawn.x, y: drawn.y, w: drawn.width, h: drawn.height }, expected), `outline ${JSON.stringify(drawn)} is not on the letter ${JSON.stringify(expected)}`);
    await workbench.screenshot('region-search-match');
  });
});
