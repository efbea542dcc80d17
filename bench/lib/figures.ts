// What each figure means: its label, unit, which direction is better, and the target another issue set for it.
// Keys are what the benchmark children report; `{engine}` and `{n}` stand for the variants.

export interface Target {
  op: '>=' | '<=' | '==';
  value: number | boolean;
  /** Where the target comes from, or a goal beyond it. */
  note?: string;
}

export interface FigureSpec {
  label: string;
  unit: string;
  better: 'higher' | 'lower' | 'true';
  target?: Target;
}

/**
 * The gallery in the real editor (`editor.ts`, issue "The gallery at real size"): `editor.<items>.<figure>`, with the
 * issue's targets by number of items (`all` for every size).
 */
const EDITOR_FIGURES: [figure: string, label: string, unit: string, better: FigureSpec['better'], op: Target['op'], targets: Record<string, number | boolean>][] = [
  ['firstTileWarmMs', 'panel open → first tile, scan cached', 'ms', 'lower', '<=', { '50000': 1000, '400000': 2000 }],
  ['firstTileWarmAfterWorkerMs', 'panel open → first tile, scan cached, less VS Code\'s webview-worker wait', 'ms', 'lower', '<=', {}],
  ['webviewWorkerWaitWarmMs', 'VS Code\'s webview service worker holding the reopened panel\'s document', 'ms', 'lower', '<=', {}],
  ['firstTileColdMs', 'panel open → first tile, first open', 'ms', 'lower', '<=', { '50000': 3000 }],
  ['allItemsWarmMs', 'panel open → every item in the webview, scan cached', 'ms', 'lower', '<=', {}],
  ['allItemsColdMs', 'panel open → every item in the webview, first open', 'ms', 'lower', '<=', {}],
  ['scanColdMs', 'panel open → first scan done (hashes, headers)', 'ms', 'lower', '<=', {}],
  ['scrollFps', 'scrolling top to bottom', 'fps', 'higher', '>=', { all: 50 }],
  ['wheelScrollFps', 'scrolling at wheel speed', 'fps', 'higher', '>=', { all: 50 }],
  ['relabelP99Ms', 'relabel keypress → tile, p99', 'ms', 'lower', '<=', { all: 20 }],
  ['relabelsJournalled', 'every relabel keypress in the journal', '', 'true', '==', { all: true }],
  ['filterMs', 'label filter change → view rebuilt (worst of 4)', 'ms', 'lower', '<=', { all: 200 }],
  ['sortMs', 'sort change → view rebuilt (worst of 4)', 'ms', 'lower', '<=', { all: 200 }],
  ['searchMs', 'search typed → view rebuilt (worst of 4)', 'ms', 'lower', '<=', { all: 200 }],
  ['extensionHostMB', 'extension host memory (RSS, most seen)', 'MB', 'lower', '<=', { '400000': 600 }],
  ['rendererMB', 'largest renderer (private, most seen)', 'MB', 'lower', '<=', {}],
  ['rendererRetainedMB', 'largest renderer (private) after GC and memory pressure, workbench included', 'MB', 'lower', '<=', { '400000': 400 }],
  ['rendererWorkbenchMB', 'the same renderer before the gallery opened (the workbench alone)', 'MB', 'lower', '<=', {}],
  ['extensionHostPeakMB', 'extension host memory, peak while scanning (RSS)', 'MB', 'lower', '<=', { '400000': 600 }],
  ['rendererPeakMB', 'largest renderer, peak (private)', 'MB', 'lower', '<=', {}],
  ['scanProcessPeakMB', 'the dataset scan\'s worker process, peak (RSS)', 'MB', 'lower', '<=', {}],
];

function editorSpecs(): [RegExp, (m: RegExpMatchArray) => FigureSpec][] {
  return EDITOR_FIGURES.map(([figure, label, unit, better, op, targets]) => [
    new RegExp(`^editor\\.(\\d+)\\.${figure}$`),
    (m) => {
      const value = targets[m[1]] ?? targets.all;
      return { label: `editor, ${Number(m[1]).toLocaleString('en-US')} images: ${label}`, unit, better, ...(value !== undefined ? { target: { op, value } } : {}) };
    },
  ]);
}

/** A multi-label set in the real editor (`editorFindings.ts`): NIH's 112,120 images with a findings model's probabilities. */
function findingsEditorSpecs(): [RegExp, (m: RegExpMatchArray) => FigureSpec][] {
  const spec = (figure: string, label: string, unit: string, target?: Target): [RegExp, (m: RegExpMatchArray) => FigureSpec] => [
    new RegExp(`^editorFindings\\.(\\d+)\\.${figure}$`),
    (m) => ({ label: `editor, NIH ${Number(m[1]).toLocaleString('en-US')} images with findings: ${label}`, unit, better: 'lower', ...(target ? { target } : {}) }),
  ];
  // The filter targets are the gallery issue's (200 ms over 400,000 items).
  return [
    spec('firstTileMs', 'panel open → first tile with its findings, first open', 'ms'),
    spec('allItemsMs', 'panel open → every item in the webview, first open', 'ms'),
    spec('findingFilterMs', 'finding picked → view rebuilt (worst of 4)', 'ms', { op: '<=', value: 200 }),
    spec('disagreeingFilterMs', '"model disagrees" → view rebuilt (worst of 4)', 'ms', { op: '<=', value: 200 }),
    spec('probabilitySortMs', 'sort by the finding\'s probability (worst of 4)', 'ms', { op: '<=', value: 200 }),
    spec('extensionHostMB', 'extension host memory (RSS, most seen)', 'MB'),
    spec('rendererMB', 'largest renderer (private)', 'MB'),
  ];
}

/** The held-out label-issue families of `bench/labelIssuesHeldOut.ts`. */
const HELD_OUT: Record<string, string> = {
  small: '300 or 688 random images',
  withoutSource: 'one source left out',
  rareSource: 'one source kept to 30 images',
  fewSources: 'one to three sources, classes within a source',
};

const SPECS: [RegExp, (m: RegExpMatchArray) => FigureSpec][] = [
  [/^scan\.coldSeconds$/, () => ({ label: 'scan (hash + headers), no cache', unit: 's', better: 'lower' })],
  [/^scan\.coldItemsPerSec$/, () => ({ label: 'scan throughput, no cache', unit: 'items/s', better: 'higher' })],
  [/^scan\.warmSeconds$/, () => ({ label: 'reopen with the file-facts cache', unit: 's', better: 'lower' })],
  [/^thumbnails\.cxrMsPerImage$/, () => ({ label: 'thumbnail, cxr (≤ 512 px)', unit: 'ms/image', better: 'lower' })],
  [/^thumbnails\.cxrP99Ms$/, () => ({ label: 'thumbnail p99, cxr', unit: 'ms', better: 'lower' })],
  [/^thumbnails\.fullresMsPerImage$/, () => ({ label: 'thumbnail, cxr-fullres (clinical size)', unit: 'ms/image', better: 'lower' })],
  [/^thumbnails\.fullresP99Ms$/, () => ({ label: 'thumbnail p99, cxr-fullres', unit: 'ms', better: 'lower' })],
  [/^thumbnails\.cachedMsPerImage$/, () => ({ label: 'thumbnail already cached', unit: 'ms/image', better: 'lower' })],
  [/^dicom\.(\w+)\.thumbnailMs$/, (m) => ({ label: `decode + thumbnail, 3000 × 2500 12-bit, ${m[1]}`, unit: 'ms', better: 'lower' })],
  [
    /^dicom\.(\w+)\.vsPng$/,
    // The target (issue 13) is for the syntaxes archives write most; JPEG-LS and HTJ2K are measured for comparison.
    (m) => ({
      label: `decode + thumbnail, DICOM ${m[1]} / the same image as 16-bit PNG`,
      unit: '×',
      better: 'lower',
      ...(['uncompressed', 'jpegLossless', 'jpeg2000'].includes(m[1]) ? { target: { op: '<=', value: 2 } as Target } : {}),
    }),
  ],
  [/^journal\.replayMs$/, () => ({ label: 'journal replay, 100,000 lines', unit: 'ms', better: 'lower' })],
  [/^journal\.relabelP50Ms$/, () => ({ label: 'relabel (durable append) p50, 50,000 items', unit: 'ms', better: 'lower' })],
  [/^journal\.relabelP99Ms$/, () => ({ label: 'relabel (durable append) p99, 50,000 items', unit: 'ms', better: 'lower' })],
  [/^journal\.undoMs$/, () => ({ label: 'undo', unit: 'ms', better: 'lower' })],
  [/^embed\.(\w+)\.imgPerSec$/, (m) => ({ label: `embedding throughput, ${m[1]}`, unit: 'images/s', better: 'higher' })],
  [/^embed\.(\w+)\.referenceImgPerSec$/, (m) => ({ label: `reference (sharp + onnxruntime), same images as ${m[1]}`, unit: 'images/s', better: 'higher' })],
  [
    /^embed\.(\w+)\.ratio$/,
    // The target is for the engines the extension picks (tfjs-node, else wasm); cpu is the last-resort fallback.
    (m) => ({
      label: `embedding / reference, ${m[1]}`,
      unit: '×',
      better: 'higher',
      ...(m[1] === 'cpu' ? {} : { target: { op: '>=', value: 1, note: 'issue 12' } as Target }),
    }),
  ],
  [/^embed\.(\w+)\.decodeMsPerImage$/, (m) => ({ label: `decode + preprocess, one thread, ${m[1]}`, unit: 'ms/image', better: 'lower' })],
  [/^embed\.(\w+)\.forwardMsPerImage$/, (m) => ({ label: `backbone forward, one thread, ${m[1]}`, unit: 'ms/image', better: 'lower' })],
  [/^head\.(\d+)\.coldTrainMs$/, (m) => ({ label: `head first training, ${Number(m[1]).toLocaleString('en-US')} items`, unit: 'ms', better: 'lower' })],
  [
    /^head\.(\d+)\.retrainPredictMs$/,
    (m) => ({
      label: `head retrain + re-predict, ${Number(m[1]).toLocaleString('en-US')} items`,
      unit: 'ms',
      better: 'lower',
      ...(m[1] === '10000' ? { target: { op: '<=', value: 2000 } as Target } : {}),
    }),
  ],
  [/^head\.(\d+)\.noTensorLeak$/, (m) => ({ label: `no tensor leak, ${Number(m[1]).toLocaleString('en-US')} items`, unit: '', better: 'true', target: { op: '==', value: true } })],
  [/^multilabel\.(nih|chexpert)\.coldOpenSeconds$/, (m) => ({ label: `open a multi-label ${m[1]} folder (CSV + hash + headers), no cache`, unit: 's', better: 'lower' })],
  [/^multilabel\.(nih|chexpert)\.warmOpenSeconds$/, (m) => ({ label: `reopen the multi-label ${m[1]} folder with the file-facts cache`, unit: 's', better: 'lower' })],
  [/^multilabel\.(nih|chexpert)\.importSeconds$/, (m) => ({ label: `import the ${m[1]} label file onto the files found`, unit: 's', better: 'lower' })],
  [/^multilabel\.head\.10000\.coldTrainMs$/, () => ({ label: 'multi-label head first training, 14 findings, 10,000 items', unit: 'ms', better: 'lower' })],
  [
    /^multilabel\.head\.10000\.retrainPredictMs$/,
    () => ({ label: 'multi-label head retrain + re-predict + metrics, 14 findings, 10,000 items', unit: 'ms', better: 'lower', target: { op: '<=', value: 3000 } }),
  ],
  [/^multilabel\.head\.10000\.noTensorLeak$/, () => ({ label: 'no tensor leak, multi-label head', unit: '', better: 'true', target: { op: '==', value: true } })],
  [/^fineTune\.wasm\.secondsPerStep$/, () => ({ label: 'fine-tune step (1 block, batch 16), wasm', unit: 's', better: 'lower', target: { op: '<=', value: 1 } })],
  [/^fineTune\.wasm\.slowestSecondsPerStep$/, () => ({ label: 'slowest fine-tune step, wasm', unit: 's', better: 'lower' })],
  [/^fineTune\.cpu\.secondsPerStep$/, () => ({ label: 'fine-tune step, cpu', unit: 's', better: 'lower' })],
  [/^audit\.1502\.seconds$/, () => ({ label: 'audit, 1,502 cached items', unit: 's', better: 'lower', target: { op: '<=', value: 10 } })],
  [/^audit\.10000\.seconds$/, () => ({ label: 'audit, 10,000 cached items', unit: 's', better: 'lower', target: { op: '<=', value: 60 } })],
  [/^audit\.fingerprintSeconds$/, () => ({ label: 'perceptual fingerprints, 1,502 images', unit: 's', better: 'lower' })],
  [
    /^audit\.labelIssueRecallTop2x$/,
    () => ({ label: '5% flipped labels found in the top 2× label issues', unit: 'recall', better: 'higher', target: { op: '>=', value: 0.8 } }),
  ],
  [/^labelIssuesHeldOut\.recallTop2x$/, () => ({ label: '5% flipped labels in the top 2× issues, held-out cxr subsets (mean)', unit: 'recall', better: 'higher' })],
  [/^labelIssuesHeldOut\.worstRecallTop2x$/, () => ({ label: '5% flipped labels in the top 2× issues, worst held-out subset', unit: 'recall', better: 'higher' })],
  // Issue 16's target holds for every kind of data unlike the training data, so it is on each family, not the mean.
  [
    /^labelIssuesHeldOut\.(\w+)\.recallTop2x$/,
    (m) => ({ label: `5% flipped labels in the top 2× issues, held-out: ${HELD_OUT[m[1]] ?? m[1]}`, unit: 'recall', better: 'higher', target: { op: '>=', value: 0.8 } }),
  ],
  [/^labelIssuesHeldOut\.flipShare\.(label|model)$/, (m) => ({ label: `label issues that are flips, where ${m[1] === 'label' ? 'the label looks wrong' : 'the model is weak'}`, unit: 'fraction', better: m[1] === 'label' ? 'higher' : 'lower' })],
  [/^activeLearning\.labelsToTarget\.(\w+)$/, (m) => ({ label: `labels to reach 95% of the whole pool's balanced accuracy, ${m[1]} order (simulated loop, cxr)`, unit: 'labels', better: 'lower' })],
  [
    /^activeLearning\.labelsVsRandom\.(\w+)$/,
    (m) => ({ label: `labels needed, ${m[1]} queue / random order`, unit: '×', better: 'lower', ...(m[1] === 'mixed' ? { target: { op: '<=' as const, value: 0.8 } } : {}) }),
  ],
  [/^audit\.plantedDuplicatesFound$/, () => ({ label: 'planted duplicates found', unit: 'fraction', better: 'higher', target: { op: '>=', value: 1 } })],
  ...editorSpecs(),
  ...findingsEditorSpecs(),
  [/^similarity\.(\d+)\.buildSeconds$/, (m) => ({ label: `similarity index build, ${Number(m[1]).toLocaleString('en-US')} cached items`, unit: 's', better: 'lower' })],
  [
    /^similarity\.(\d+)\.queryMs$/,
    (m) => ({ label: `"more like this" query, ${Number(m[1]).toLocaleString('en-US')} cached items`, unit: 'ms', better: 'lower', target: { op: '<=', value: 100 } }),
  ],
  [/^similarity\.(\d+)\.queryP95Ms$/, (m) => ({ label: `"more like this" query p95, ${Number(m[1]).toLocaleString('en-US')} cached items`, unit: 'ms', better: 'lower' })],
  [/^regionSearch\.(\d+)\.recallAtK$/, (m) => ({ label: `"find this region" on planted "L" markers: other marked films in the top K, ${Number(m[1]).toLocaleString('en-US')} images`, unit: 'recall', better: 'higher' })],
  [/^regionSearch\.(\d+)\.mapsSeconds$/, (m) => ({ label: `"find this region": reading every image's region map the first time, ${Number(m[1]).toLocaleString('en-US')} images`, unit: 's', better: 'lower' })],
  [/^regionSearch\.(\d+)\.queryMs$/, (m) => ({ label: `"find this region" with the maps cached, ${Number(m[1]).toLocaleString('en-US')} images`, unit: 'ms', better: 'lower' })],
  [/^map\.(\d+)\.buildSeconds$/, (m) => ({ label: `dataset map build (PCA + UMAP), ${Number(m[1]).toLocaleString('en-US')} cached items`, unit: 's', better: 'lower' })],
  [/^mapDraw\.(\d+)\.zoomFps$/, (m) => ({ label: `dataset map redrawn while zooming, ${Number(m[1]).toLocaleString('en-US')} points`, unit: 'fps', better: 'higher', target: { op: '>=', value: 50 } })],
  [/^mapDraw\.(\d+)\.zoomP95FrameMs$/, (m) => ({ label: `dataset map frame time p95 while zooming, ${Number(m[1]).toLocaleString('en-US')} points`, unit: 'ms', better: 'lower' })],
  [/^mapDraw\.(\d+)\.lassoMs$/, (m) => ({ label: `dataset map lasso → selection drawn, ${Number(m[1]).toLocaleString('en-US')} points`, unit: 'ms', better: 'lower', target: { op: '<=', value: 200 } })],
  [/^mapDraw\.(\d+)\.rendererPrivateMB$/, (m) => ({ label: `dataset map page memory (renderer private), ${Number(m[1]).toLocaleString('en-US')} points`, unit: 'MB', better: 'lower' })],
  [/^gallery\.firstTileMs$/, () => ({ label: 'gallery open → first tile, 50,000 items', unit: 'ms', better: 'lower', target: { op: '<=', value: 1000 } })],
  [/^gallery\.scrollFps$/, () => ({ label: 'gallery scrolling top to bottom', unit: 'fps', better: 'higher', target: { op: '>=', value: 50 } })],
  [/^gallery\.scrollP95FrameMs$/, () => ({ label: 'gallery frame time p95, top to bottom', unit: 'ms', better: 'lower' })],
  [/^gallery\.wheelScrollFps$/, () => ({ label: 'gallery scrolling at wheel speed', unit: 'fps', better: 'higher', target: { op: '>=', value: 50 } })],
  [/^gallery\.rendererPrivateMB$/, () => ({ label: 'gallery page memory (renderer private)', unit: 'MB', better: 'lower', target: { op: '<=', value: 300 } })],
  [/^gallery\.rendererRssMB$/, () => ({ label: 'gallery page memory (renderer RSS, shared pages too)', unit: 'MB', better: 'lower' })],
  [/^gallery\.jsHeapMB$/, () => ({ label: 'gallery JS heap used', unit: 'MB', better: 'lower' })],
  [/^gallery\.relabelMedianMs$/, () => ({ label: 'relabel keypress → tile shows it', unit: 'ms', better: 'lower' })],
  [/^gallery\.relabelWithinFrame$/, () => ({ label: 'relabel shows within one frame', unit: '', better: 'true', target: { op: '==', value: true } })],
  [
    /^quality\.([\w-]+)\.bootstrapSeconds$/,
    // The target was a unit test's wall-clock limit (1,500 items); the bench is where timing belongs.
    (m) => ({
      label: `metrics with 1,000 patient-bootstrap resamples, ${m[1]}`,
      unit: 's',
      better: 'lower',
      ...(m[1] === 'cxr' ? { target: { op: '<=', value: 1 } as Target } : {}),
    }),
  ],
  [/^quality\.([\w-]+)\.(\w+)$/, (m) => ({ label: `${m[1]}: ${m[2]} (grouped CV)`, unit: '', better: 'higher' })],
  [/^peakRssMB\.([\w-]+)$/, (m) => ({ label: `peak memory, ${m[1]}`, unit: 'MB', better: 'lower' })],
];

export function figureSpec(key: string): FigureSpec {
  for (const [pattern, make] of SPECS) {
    const match = key.match(pattern);
    if (match) return make(match);
  }
  return { label: key, unit: '', better: 'lower' };
}

/** Whether `value` meets `target`; null when there is no value. */
export function meets(value: number | boolean | null, target: Target): boolean | null {
  if (value === null) return null;
  switch (target.op) {
    case '>=':
      return Number(value) >= Number(target.value);
    case '<=':
      return Number(value) <= Number(target.value);
    case '==':
      return value === target.value;
  }
}
