// Bundles the extension, the worker, the CLI and the panel with esbuild, and copies the
// TensorFlow.js WebAssembly binaries beside the worker (tfjs loads them from a directory).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Optional native backends: resolved at run time when the user has installed them.
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgpu', 'webgpu'],
};

await Promise.all([
  build({ ...node, entryPoints: [join(root, 'src/extension/main.ts')], outfile: join(root, 'dist/extension.js') }),
  build({ ...node, entryPoints: [join(root, 'src/worker/main.ts')], outfile: join(root, 'dist/worker.js') }),
  build({ ...node, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(root, 'dist/cli.js') }),
  build({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { webview: join(root, 'webview/main.ts') },
    outdir: join(root, 'dist'),
    loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
    assetNames: 'fonts/[name]',
  }),
]);

const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
mkdirSync(join(root, 'dist'), { recursive: true });
for (const f of readdirSync(wasmDir)) if (f.endsWith('.wasm')) copyFileSync(join(wasmDir, f), join(root, 'dist', f));
