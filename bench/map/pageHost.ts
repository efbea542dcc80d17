// Browser script of the map benchmark page, loaded before the map bundle: it stands in for VS Code and the
// extension host. It defines `acquireVsCodeApi()` and answers the map protocol's `ready` request with `?points=`
// seeded points in 40 clusters, coloured by label (3 classes) and by source (4), as the host would send them.
// A global script (no imports), bundled by esbuild and served as is.
(() => {
  const params = new URLSearchParams(location.search);
  const count = Number(params.get('points') ?? 400_000);
  let seed = 1;
  const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const label = new Uint8Array(count);
  const source = new Uint8Array(count);
  const centres = Array.from({ length: 40 }, () => [random() * 20, random() * 20]);
  for (let i = 0; i < count; i++) {
    const c = i % centres.length;
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const a = 2 * Math.PI * random();
    x[i] = centres[c][0] + 0.6 * r * Math.cos(a);
    y[i] = centres[c][1] + 0.6 * r * Math.sin(a);
    label[i] = c % 3;
    source[i] = c % 4;
  }
  let nextId = 1;
  (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
    postMessage(message: { messageId: number; body: { type: string; index?: number } }): void {
      const { messageId, body } = message;
      const reply = (answer: unknown): void => window.postMessage({ messageId: nextId++, inReplyTo: messageId, body: answer }, '*');
      setTimeout(() => {
        if (body.type === 'ready') {
          reply({
            type: 'mapReady',
            name: 'bench',
            points: { x, y },
            colourings: [
              { name: 'label', title: 'Label', categories: ['COVID', 'NORMAL', 'PNEUMONIA'], codes: label },
              { name: 'source', title: 'Source', categories: ['ieee8023', 'cxnet', 'kermany', 'nih14'], codes: source },
            ],
            highlighted: [0, 1, 2],
            note: `${count} synthetic points`,
          });
        } else if (body.type === 'point') reply({ type: 'point', index: body.index, id: `image-${body.index}.png` });
      });
    },
    getState: () => undefined,
    setState: () => undefined,
  });
})();
