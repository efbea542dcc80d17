// Builds the bundles: the extension host, the command-line tool and the worker threads run in Node
// (CommonJS, `vscode` and the native/wasm packages external); the webview runs in the browser (ESM).
// Type checking is `tsc -p .` (see `npm run compile`); esbuild only strips types.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build errors in the `$esbuild-watch` problem-matcher format. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Loaded from node_modules at run time: the host API, native addons (sharp; tfjs-node, which must register with the
  // same tfjs-core as ours), and packages that read their wasm binaries from beside their JS. The rest is bundled;
  // .vscodeignore ships just these packages' runtime files.
  external: ['vscode', 'sharp', '@tensorflow/*', '@cornerstonejs/*', 'dcmjs-codecs'],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // Worker threads, started by path from the bundles above (`path.join(__dirname, '<name>.js')`).
  { ...node, entryPoints: { jobWorker: 'src/ml/jobs/jobWorker.ts', embedWorker: 'src/ml/embedWorker.ts', scanWorker: 'src/dataset/scanWorker/scanWorker.ts', vectorWorker: 'src/ml/vectorService/vectorWorker.ts' }, outdir: 'dist' },
  { ...common, platform: 'browser', format: 'esm', target: 'es2022', entryPoints: { gallery: 'src/webview/gallery/main.ts', map: 'src/webview/map/main.ts' }, outdir: 'dist/webview' },
];

async function main() {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
