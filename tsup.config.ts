import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    treeshake: true,
    shims: true,
    external: ['pdfjs-dist'],
    // natural's Porter stemmer is bundled; natural itself (and its database drivers) is never installed by users.
    noExternal: [/^natural\//],
  },
  {
    entry: { cli: 'src/cli/main.ts', worker: 'src/cli/worker.ts' },
    format: ['esm'],
    target: 'node20',
    sourcemap: true,
    splitting: false,
    external: ['pdfjs-dist'],
    noExternal: [/^natural\//],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
