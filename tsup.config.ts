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
  },
  {
    entry: { cli: 'src/cli/main.ts', worker: 'src/cli/worker.ts' },
    format: ['esm'],
    target: 'node20',
    sourcemap: true,
    splitting: false,
    external: ['pdfjs-dist'],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
