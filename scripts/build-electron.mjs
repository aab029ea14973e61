// Bundles the Electron main process, the page worker and the preload into dist/electron/*.cjs with esbuild.
// Native and heavy packages stay external (loaded from node_modules at run time); everything else is inlined.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Kept out of the bundle: Electron itself, native addons, and packages that load their own files by path. */
export const EXTERNALS = [
  'electron',
  'libsql',
  '@libsql/*',
  'onnxruntime-node',
  'onnxruntime-common',
  '@napi-rs/canvas',
  '@napi-rs/canvas-*',
  'pdfjs-dist',
  'pdfjs-dist/*',
  'chokidar',
  'screenshot-desktop',
  'mammoth',
  'ws',
  'dejavu-fonts-ttf',
  'dejavu-fonts-ttf/*',
];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Main process and page worker: Node code from ESM sources, emitted as CommonJS. */
const node = {
  ...common,
  external: EXTERNALS,
  // The engine is ESM source: code that asks for import.meta.url gets its bundle's own URL.
  define: { 'import.meta.url': '__engramImportMetaUrl' },
  banner: { js: 'const __engramImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/** `outdir` defaults to dist/electron; tests build into a temporary folder instead. */
export async function buildElectron({ outdir = join(root, 'dist', 'electron') } = {}) {
  await Promise.all([
    build({ ...node, entryPoints: [join(root, 'electron/main/main.ts')], outfile: join(outdir, 'main.cjs') }),
    // The engine forks this to render and encode pages, so a crash on a hostile file costs one job, not the app.
    build({ ...node, entryPoints: [join(root, 'electron/core/ingest/pageWorker.ts')], outfile: join(outdir, 'pageWorker.cjs') }),
    build({
      ...common,
      entryPoints: [join(root, 'electron/preload/preload.ts')],
      outfile: join(outdir, 'preload.cjs'),
      // A sandboxed preload may require `electron` and nothing else from disk.
      external: ['electron'],
      sourcemap: false,
    }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  try {
    await buildElectron();
    console.log(`built dist/electron/{main,pageWorker,preload}.cjs in ${Date.now() - t0} ms`);
  } catch {
    // esbuild has already printed each error with its file and line.
    console.error('build:electron failed');
    process.exit(1);
  }
}
