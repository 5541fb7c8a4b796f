#!/usr/bin/env node
// The import graph, checked by `npm run lint` and `npm test`: no cycle anywhere (madge reads the
// TypeScript imports, `import type` included), and the core's lower stages import no higher one,
// so that data flows one way (STYLE.md): ir at the bottom, then lang and kernel, and nothing in
// src/core imports the extension, the worker, the CLI or the protocol.
import madge from 'madge';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What each folder of src/core may import besides itself. */
const ALLOWED = {
  'core/ir': [],
  'core/lang': ['core/ir'],
  'core/kernel': ['core/ir'],
};

const graph = await madge(
  ['src', 'webview', 'test', 'bench', 'scripts'].map((d) => join(root, d)),
  {
    baseDir: root,
    fileExtensions: ['ts', 'mjs'],
    tsConfig: join(root, 'tsconfig.json'),
  },
);

const problems = graph.circular().map((cycle) => `import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);

const folderOf = (file) => {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0];
  return parts[1] === 'core' && parts.length > 3 ? `core/${parts[2]}` : parts[1] === 'core' ? 'core' : parts[1];
};
for (const [file, imports] of Object.entries(graph.obj())) {
  const from = folderOf(file);
  for (const imported of imports) {
    const to = folderOf(imported);
    if (to === from) continue;
    const allowed = ALLOWED[from];
    if (allowed !== undefined && !allowed.includes(to)) problems.push(`${file} imports ${imported}: ${from} may import only ${allowed.join(', ') || 'itself'}`);
    if (from.startsWith('core') && !to.startsWith('core') && imported.startsWith('src/'))
      problems.push(`${file} imports ${imported}: the core imports nothing outside src/core`);
  }
}

const files = Object.keys(graph.obj()).length;
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n${problems.length} import problem${problems.length === 1 ? '' : 's'} in ${files} files\n`);
  process.exit(1);
}
process.stdout.write(`imports: ${files} files, no cycle, the core's layers hold\n`);
