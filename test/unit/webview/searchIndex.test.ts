import * as assert from 'node:assert/strict';
import { SearchIndex } from '../../../src/webview/gallery/searchIndex';

interface Item {
  id: string;
  note?: string;
}

const textOf = (item: Item): string => `${item.id}\n${item.note ?? ''}`.toLowerCase();
const brute = (items: readonly Item[], words: readonly string[]): number[] => items.map((item) => (words.every((w) => textOf(item).includes(w)) ? 1 : 0));

describe('SearchIndex: every item searched at once', () => {
  const items: Item[] = Array.from({ length: 2000 }, (_, i) => ({ id: `${['COVID', 'NORMAL', 'PNEUMONIA'][i % 3]}/r${i % 7}-img${i}.png`, ...(i % 5 === 0 ? { note: 'check the L marker' } : {}) }));

  it('finds the items holding every word, as a search item by item does', () => {
    const index = new SearchIndex(textOf);
    for (const words of [['covid'], ['r3-'], ['covid', 'r3-'], ['marker', 'normal'], ['img1999.png'], ['nothing'], ['png\ncheck']]) {
      assert.deepEqual([...index.matches(items, words)], brute(items, words), words.join(' '));
    }
  });

  it('never matches across two items, and checks replaced items on their own', () => {
    const index = new SearchIndex(textOf);
    index.build(items);
    // The end of one item's text and the start of the next do not make a word.
    assert.equal([...index.matches(items, ['marker\u0000normal'])].filter(Boolean).length, 0);
    assert.equal([...index.matches(items, ['markernormal'])].filter(Boolean).length, 0);
    const changed = items.slice();
    changed[4] = { id: changed[4].id, note: 'relabelled: marker' };
    changed[5] = { id: changed[5].id };
    assert.deepEqual([...index.matches(changed, ['marker'])], brute(changed, ['marker']));
    // Appended items (a later page): the text is made again.
    const more = [...changed, { id: 'NORMAL/new.png', note: 'marker' }];
    assert.deepEqual([...index.matches(more, ['marker'])], brute(more, ['marker']));
  });

  it('prepares the text in slices ahead of the search, which then agrees with the items as they are', async () => {
    const index = new SearchIndex(textOf);
    const live = items.slice();
    index.prepare(live, 300);
    live[10] = { id: live[10].id, note: 'marker' };
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual([...index.matches(live, ['marker'])], brute(live, ['marker']));
  });
});
