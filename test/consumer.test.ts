/**
 * The package as a consumer gets it: build, `npm pack`, install the tarball
 * into a fresh project outside the repository, then import it with ESM and
 * CJS and type-check against its published declarations.
 *
 * Slow (a real `npm install` from the registry), so every step has a
 * generous timeout and every failure message carries the child's output.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MINUTE = 60_000;

const SENTENCE = 'Child protection plans do not always include measurable timescales for agreed actions.';
const SECTION = 'Areas for development';
const LETTER = [
  'Dear Director of Children’s Services',
  '',
  'Unannounced inspection of contact, referral and assessment arrangements',
  '',
  'Strengths',
  '',
  '- Thresholds for access to services are clearly understood by partner agencies.',
  '',
  SECTION,
  '',
  `- ${SENTENCE}`,
  '- Supervision is not consistently recorded on case files.',
  '',
].join('\n');

/** Entry points the exports map promises; all must be built and packed. */
const DIST_FILES = [
  'index.js',
  'index.cjs',
  'index.d.ts',
  'index.d.cts',
  'node.js',
  'node.cjs',
  'node.d.ts',
  'node.d.cts',
];

/**
 * The environment for child processes run outside the repository. When the
 * suite runs under `npm test`/`npx vitest`, npm exports lifecycle variables;
 * `npm_config_local_prefix` in particular would make `npm install` in the
 * consumer directory install into the repository instead.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      /^npm_(package_|lifecycle_)/i.test(key) ||
      /^npm_(config_local_prefix|config_call|config_npm_version|config_user_agent|command|execpath|node_execpath)$/i.test(key)
    ) {
      delete env[key];
    }
  }
  // Whatever the CI injects into every node process is not the library's output.
  delete env['NODE_OPTIONS'];
  delete env['NODE_PATH'];
  return env;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  describe: string;
}

function run(command: string, args: string[], cwd: string, timeout: number): Run {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    timeout,
    encoding: 'utf8',
    env: cleanEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const why = r.error ? ` (${r.error.message})` : r.signal ? ` (killed by ${r.signal})` : '';
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    describe: `\`${command} ${args.join(' ')}\` in ${cwd} exited ${r.status}${why}\n--- stdout ---\n${r.stdout ?? ''}\n--- stderr ---\n${r.stderr ?? ''}`,
  };
}

/** Run and throw, with the child's output, unless it exits 0. */
function mustRun(command: string, args: string[], cwd: string, timeout: number): Run {
  const r = run(command, args, cwd, timeout);
  if (r.status !== 0) throw new Error(r.describe);
  return r;
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** dist/ is missing an entry point, or older than a source or build input. */
function distIsStale(): boolean {
  const outputs = DIST_FILES.map((f) => join(ROOT, 'dist', f));
  if (!outputs.every((f) => existsSync(f))) return true;
  const oldestOutput = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const inputs = ['src', 'models', 'rules', 'package.json', 'tsup.config.ts', 'tsconfig.json'].map((p) => join(ROOT, p)).filter((p) => existsSync(p));
  return Math.max(...inputs.map(newestMtime)) > oldestOutput;
}

/** Entries of the tarball outside the published set (README, LICENSE, CHANGELOG, dist, rules). */
function unexpectedEntries(entries: string[]): string[] {
  const allowed = [
    /^package\/package\.json$/,
    /^package\/README\.md$/,
    /^package\/LICENSE$/,
    /^package\/CHANGELOG\.md$/,
    /^package\/(dist|rules)\/.+/,
    /^package\/(dist|rules)\/$/,
  ];
  return entries.filter((e) => !allowed.some((re) => re.test(e)));
}

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('ofsted-findings as a consumer installs it from the packed tarball', { timeout: 10 * MINUTE }, () => {
  let tarball = '';
  let entries: string[] = [];

  beforeAll(() => {
    if (distIsStale()) mustRun('npm', ['run', 'build'], ROOT, 5 * MINUTE);

    const packDir = tempDir('ofsted-findings-pack-');
    const pack = mustRun('npm', ['pack', '--json', '--pack-destination', packDir], ROOT, 3 * MINUTE);
    let filename: string;
    try {
      filename = (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]!.filename;
    } catch (cause) {
      throw new Error(`could not read the tarball name from npm pack --json: ${String(cause)}\n${pack.describe}`);
    }
    tarball = join(packDir, filename);
    if (!existsSync(tarball)) throw new Error(`npm pack reported ${filename} but ${tarball} does not exist\n${pack.describe}`);

    const list = mustRun('tar', ['-tzf', tarball], packDir, MINUTE);
    entries = list.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  }, 10 * MINUTE);

  describe('the build', () => {
    it('ships the built-in packs compiled, exactly as compiling their source gives, and only for those packs', async () => {
      const built = (await import(join(ROOT, 'dist', 'index.js'))) as typeof import('../src/index.js');
      const { toPrecompiled } = await import('../src/rules/precompiled.js');
      const source = await import('../src/index.js');
      const shipped = built.compileRulePacks([...built.BUILTIN_RULE_PACKS]);
      // The build really embedded them (not merely compiled the same thing again at first use).
      const { readFileSync } = await import('node:fs');
      // (The model also records this fingerprint, but inside "rules":{"packs":[…],"fingerprint":…}, never right after "{".)
      expect(readFileSync(join(ROOT, 'dist', 'index.js'), 'utf8')).toMatch(new RegExp(`\\{\\\\?"fingerprint\\\\?":\\\\?"${shipped.fingerprint}`));
      const compiled = source.compileRulePacks([...source.BUILTIN_RULE_PACKS]);
      expect(shipped.fingerprint).toBe(compiled.fingerprint);
      expect(shipped.elements.length).toBeGreaterThan(1000);
      expect(toPrecompiled(shipped)).toEqual(toPrecompiled(compiled));
      // Same analyses on a real sentence, rule by rule.
      const text = 'Management oversight is not always evident on case records.';
      const a = built.analyseSentence(shipped, text);
      const b = source.analyseSentence(compiled, text);
      expect(a.evidence.length).toBeGreaterThan(0);
      expect({ evidence: a.evidence, themes: [...a.themeScores], polarity: a.polarity, finding: a.finding }).toEqual({
        evidence: b.evidence,
        themes: [...b.themeScores],
        polarity: b.polarity,
        finding: b.finding,
      });
      // A pack set with any change is compiled, never served the shipped form.
      const [core, ...rest] = built.BUILTIN_RULE_PACKS;
      const changed = built.compileRulePacks([{ ...core!, version: `${core!.version}-changed` }, ...rest]);
      expect(changed.fingerprint).not.toBe(shipped.fingerprint);
      expect(toPrecompiled(changed).elements).toEqual(toPrecompiled(compiled).elements);
    });

    it('checks the bundled model in full when building (so a cold start skips its checksum), and bundles the file unchanged', async () => {
      const { readFileSync } = await import('node:fs');
      for (const file of ['index.js', 'index.cjs']) expect(readFileSync(join(ROOT, 'dist', file), 'utf8'), file).toMatch(/BUNDLED_CHECKSUM_VERIFIED = true/);
      const built = (await import(join(ROOT, 'dist', 'index.js'))) as typeof import('../src/index.js');
      const source = await import('../src/index.js');
      const onDisk = source.loadModel(readFileSync(join(ROOT, 'models', 'ofsted-findings.model.json'), 'utf8'));
      expect(JSON.stringify(built.bundledModel())).toBe(JSON.stringify(onDisk));
      // The bundled weights are decoded without re-scanning their (build-checked) text: every seed sentence
      // classifies exactly as with the same file loaded and checked in full.
      const checked = source.createClassifier({ model: onDisk });
      const { loadSeedDocuments } = await import('../src/node.js');
      for (const s of loadSeedDocuments().flatMap((d) => d.sentences)) {
        expect(built.classifyFinding(s.text, { section: s.section, kind: s.kind })).toEqual(checked.classify(s.text, { section: s.section, kind: s.kind }));
      }
    });
  });

  describe('the packed tarball', () => {
    it('contains nothing outside package.json, README.md, LICENSE, CHANGELOG.md, dist/ and rules/', () => {
      expect(entries.length, 'the tarball is empty').toBeGreaterThan(0);
      expect(unexpectedEntries(entries), `unexpected entries in ${tarball}`).toEqual([]);
    });

    it('ships no PDFs, no corpus, no sources and no tests', () => {
      expect(entries.filter((e) => /\.pdf$/i.test(e))).toEqual([]);
      expect(entries.filter((e) => /^package\/(corpus|src|test)\//.test(e))).toEqual([]);
    });

    it('includes the ESM, CJS and type entry points for "." and "./node"', () => {
      const missing = DIST_FILES.map((f) => `package/dist/${f}`).filter((f) => !entries.includes(f));
      expect(missing, `entries were:\n${entries.join('\n')}`).toEqual([]);
    });
  });

  describe('installed into a fresh project outside the repository', () => {
    let consumer = '';

    /** Run `node <script>` in the consumer and insist on exit 0. */
    const node = (script: string): Run => {
      const r = run(process.execPath, [script], consumer, MINUTE);
      expect(r.status, r.describe).toBe(0);
      return r;
    };

    beforeAll(() => {
      consumer = tempDir('ofsted-findings-consumer-');
      writeFileSync(
        join(consumer, 'package.json'),
        `${JSON.stringify(
          {
            name: 'consumer',
            private: true,
            type: 'module',
            devDependencies: { typescript: '5.9.3', '@types/node': '20.19.43' },
          },
          null,
          2,
        )}\n`,
      );
      // One install: the tarball as a dependency, plus the pinned dev dependencies above.
      mustRun('npm', ['install', '--no-audit', '--no-fund', '--offline=false', tarball], consumer, 5 * MINUTE);
      if (!existsSync(join(consumer, 'node_modules', 'ofsted-findings', 'package.json'))) {
        throw new Error(`npm install did not place ofsted-findings in ${consumer}/node_modules`);
      }

      writeFileSync(
        join(consumer, 'esm.mjs'),
        [
          "import { fromText, hashText } from 'ofsted-findings';",
          "import { loadSeedDocuments } from 'ofsted-findings/node';",
          "if (typeof hashText !== 'function') throw new Error('hashText is not exported');",
          "if (typeof loadSeedDocuments !== 'function') throw new Error('loadSeedDocuments is not exported from ofsted-findings/node');",
          `const doc = fromText(${JSON.stringify(LETTER)});`,
          'console.log(JSON.stringify(doc.sentences.map((s) => ({ text: s.text, section: s.section }))));',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(consumer, 'cjs.cjs'),
        [
          "const { fromText } = require('ofsted-findings');",
          "const { loadSeedDocuments } = require('ofsted-findings/node');",
          "if (typeof loadSeedDocuments !== 'function') throw new Error('loadSeedDocuments is not exported from ofsted-findings/node');",
          `const doc = fromText(${JSON.stringify(LETTER)});`,
          'console.log(JSON.stringify(doc.sentences.map((s) => ({ text: s.text, section: s.section }))));',
          '',
        ].join('\n'),
      );
      writeFileSync(join(consumer, 'import-only.mjs'), "import 'ofsted-findings';\n");
      writeFileSync(join(consumer, 'import-node-only.mjs'), "import 'ofsted-findings/node';\n");
      writeFileSync(join(consumer, 'require-only.cjs'), "require('ofsted-findings');\n");

      writeFileSync(
        join(consumer, 'check.ts'),
        [
          "import { fromText, type ReportDocument, type Sentence } from 'ofsted-findings';",
          "import { loadSeedDocuments } from 'ofsted-findings/node';",
          '',
          `const doc: ReportDocument = fromText(${JSON.stringify(LETTER)}, { id: 'letter', meta: { authority: 'lewisham' } });`,
          'const s: Sentence | undefined = doc.sentences[0];',
          "const section: string | undefined = s?.section;",
          'const path: string[] | undefined = s?.sectionPath;',
          'const load: () => ReportDocument[] = loadSeedDocuments;',
          '// @ts-expect-error fromText takes the report text, not a number',
          'fromText(42);',
          '// @ts-expect-error sentences carry no made-up fields',
          's?.notAField;',
          'export { doc, section, path, load };',
          '',
        ].join('\n'),
      );
      // The same entry point resolved through the "require" condition (dist/index.d.cts).
      writeFileSync(
        join(consumer, 'check-cjs.cts'),
        [
          "import { fromText, type ReportDocument } from 'ofsted-findings';",
          "const doc: ReportDocument = fromText('Areas for development\\n\\n- Plans are late.');",
          '// @ts-expect-error fromText takes the report text, not a number',
          'fromText(42);',
          'export = doc;',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(consumer, 'tsconfig.json'),
        `${JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2022',
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              strict: true,
              noEmit: true,
              skipLibCheck: false,
              types: ['node'],
            },
            files: ['check.ts', 'check-cjs.cts'],
          },
          null,
          2,
        )}\n`,
      );
    }, 10 * MINUTE);

    it('the packed tarball installs and imports with ESM import', () => {
      const r = node('esm.mjs');
      const sentences = JSON.parse(r.stdout) as Array<{ text: string; section?: string }>;
      expect(sentences, r.describe).toContainEqual({ text: SENTENCE, section: SECTION });
    });

    it('the packed tarball installs and loads with CommonJS require', () => {
      const r = node('cjs.cjs');
      const sentences = JSON.parse(r.stdout) as Array<{ text: string; section?: string }>;
      expect(sentences, r.describe).toContainEqual({ text: SENTENCE, section: SECTION });
    });

    it('importing the package prints nothing to stdout or stderr', () => {
      for (const script of ['import-only.mjs', 'import-node-only.mjs', 'require-only.cjs']) {
        const r = node(script);
        expect({ script, stdout: r.stdout, stderr: r.stderr }).toEqual({ script, stdout: '', stderr: '' });
      }
    });

    it('its published types check under NodeNext with strict and skipLibCheck off', () => {
      const r = run('npx', ['--no-install', 'tsc', '-p', '.'], consumer, 3 * MINUTE);
      expect(r.status, r.describe).toBe(0);
    });
  });
});
