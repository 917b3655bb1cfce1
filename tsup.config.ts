import { defineConfig, type Options } from 'tsup';
import { BUILTIN_RULE_PACKS } from './src/rules/builtin.js';
import { compileRulePacks } from './src/rules/compile.js';
import { toPrecompiled } from './src/rules/precompiled.js';
import { loadModel } from './src/model/model.js';

// The node entry, the CLI and its worker import the core as the package itself
// ('ofsted-findings'), so the core (and the bundled model) ships once per format
// and every error class has a single identity.
const selfReference: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'self-reference',
  setup(build) {
    build.onResolve({ filter: /^(\.\.?\/)+index\.js$/ }, (args) =>
      args.importer.includes(`${'/src/'}`) ? { path: 'ofsted-findings', external: true } : undefined,
    );
    build.onResolve({ filter: /^(\.\.?\/)+node\.js$/ }, (args) =>
      args.importer.includes('/src/cli/') ? { path: 'ofsted-findings/node', external: true } : undefined,
    );
  },
};

// The bundled model (0.6 MB of JSON) ships as JSON.parse of a string: V8 parses JSON text several
// times faster than the equivalent object literal. The very text embedded is checked with loadModel
// first (a model that fails fails the build), so what ships is what was checked.
const modelAsJsonText: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'model-as-json-text',
  setup(build) {
    build.onLoad({ filter: /[\\/]models[\\/][^\\/]+\.model\.json$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      loadModel(text, args.path);
      return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

// The bundled model is checked here in full, with loadModel (schema, version, checksum), so that
// a cold start need not hash its 0.6 MB of JSON again (about 2% of one), nor scan its weight texts.
// A model that fails fails the build (and modelAsJsonText checks the text it embeds as well).
const bundledChecksumVerified: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'bundled-checksum-verified',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]model[\\/]bundled-checksum\.ts$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const { resolve } = await import('node:path');
      const path = resolve(args.path, '../../../models/ofsted-findings.model.json');
      loadModel(await readFile(path, 'utf8'), 'models/ofsted-findings.model.json');
      return { contents: 'export const BUNDLED_CHECKSUM_VERIFIED = true;', loader: 'js', watchFiles: [path] };
    });
  },
};

// The built-in packs ship compiled (as JSON text, parsed on first use): compiling their ~1,000
// patterns was a fifth of a cold start. compileRulePacks serves this only to packs with the same
// content fingerprint; the source tree's stand-in is undefined, so tests compile the packs themselves.
const precompiledBuiltinRules: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'precompiled-builtin-rules',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]rules[\\/]builtin-precompiled\.ts$/ }, () => {
      const text = JSON.stringify(toPrecompiled(compileRulePacks([...BUILTIN_RULE_PACKS])));
      return { contents: `export default ${JSON.stringify(text)};`, loader: 'js' };
    });
  },
};

const common: Options = {
  target: 'node20',
  sourcemap: false,
  splitting: false,
  treeshake: true,
  shims: true,
  external: ['pdfjs-dist', 'ofsted-findings'],
  // natural's Porter stemmer is bundled; natural itself (and its database drivers) is never installed by users.
  noExternal: [/^natural\//, /^zod/],
};

export default defineConfig([
  { ...common, entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true, clean: true, esbuildPlugins: [modelAsJsonText, bundledChecksumVerified, precompiledBuiltinRules] },
  { ...common, entry: { node: 'src/node.ts' }, format: ['esm', 'cjs'], dts: true, esbuildPlugins: [selfReference] },
  { ...common, entry: { cli: 'src/cli/main.ts', worker: 'src/cli/worker.ts', 'classify-worker': 'src/parallel/classify-worker.ts', 'train-worker': 'src/parallel/train-worker.ts' }, format: ['esm'], esbuildPlugins: [selfReference], banner: { js: '#!/usr/bin/env node' } },
]);
