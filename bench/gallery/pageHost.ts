// Browser script of the gallery benchmark page, loaded before the gallery bundle: it stands in for VS Code and
// the extension host. It defines `acquireVsCodeApi()`, answers the protocol's `ready` request with synthetic items
// (count from `?items=`) and every edit with `done`, and records when the first tile image loads.
// A global script (no imports), compiled by tsc and served as is.
(() => {
  interface BenchState {
    readyAnsweredMs?: number;
    firstTileMs?: number;
  }
  const state: BenchState = {};
  (window as unknown as { __bench: BenchState }).__bench = state;
  const params = new URLSearchParams(location.search);
  const count = Number(params.get('items') ?? 50_000);
  const thumbs = Number(params.get('thumbs') ?? 1);
  const classes = ['COVID', 'NORMAL', 'PNEUMONIA'];

  // Every tile has its own URL, as every item has its own thumbnail in VS Code; the server reuses a few files.
  const items = Array.from({ length: count }, (_, i) => {
    const label = classes[i % 3];
    const predicted = classes[(i * 7) % 3];
    return {
      id: `${label}/image-${String(i).padStart(6, '0')}.png`,
      label,
      flagged: i % 97 === 0,
      thumb: `${i % thumbs}/${i}.webp`,
      metadata: { source: ['ieee8023', 'cxnet', 'kermany', 'nih14'][i % 4], patient_id: `p${Math.floor(i / 3)}` },
      ...(i % 2 === 0 ? { prediction: { predicted, confidence: 0.5 + (i % 50) / 100, margin: 0.2, changed: i % 11 === 0 } } : {}),
    };
  });
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.label] = (counts[item.label] ?? 0) + 1;

  let nextId = 1;
  const reply = (inReplyTo: number, body: unknown): void => window.postMessage({ messageId: nextId++, inReplyTo, body }, '*');
  let saved: unknown;
  (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
    postMessage(message: { messageId: number; body: { type: string; ids?: string[] } }): void {
      const { messageId, body } = message;
      // Answered in a later task, as a message from the extension host arrives.
      setTimeout(() => {
        if (body.type === 'ready') {
          state.readyAnsweredMs = performance.now();
          reply(messageId, {
            type: 'ready',
            dataset: { name: 'bench', root: '/bench', classes, counts },
            urls: { dataset: '/originals', thumbnails: '/thumbs' },
            items: items.slice(0, 600),
            total: items.length,
            generation: 1,
            editable: true,
            warnings: [],
          });
          // The rest in pages, as the extension host sends them.
          for (let start = 600; start < items.length; start += 10_000) {
            setTimeout(() => window.postMessage({ messageId: nextId++, body: { type: 'itemsPage', generation: 1, items: items.slice(start, start + 10_000) } }, '*'));
          }
        } else if (body.type === 'relabel' || body.type === 'flag') reply(messageId, { type: 'done', entries: body.ids?.length ?? 0 });
        else if (body.type === 'undo' || body.type === 'redo') reply(messageId, { type: 'done', entries: 0 });
      });
    },
    getState: () => saved,
    setState: (value: unknown) => void (saved = value),
  });

  document.addEventListener(
    'load',
    (event) => {
      if (state.firstTileMs === undefined && (event.target as HTMLElement).matches?.('.tile img')) state.firstTileMs = performance.now();
    },
    true,
  );
})();
