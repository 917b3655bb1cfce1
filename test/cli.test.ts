/**
 * The built command line (node dist/cli.js), run as a user runs it: output
 * formats, standard input, --out, --help, usage errors, a batch with one bad
 * file, --jobs, and `rules check`. dist/ is rebuilt first when it is missing
 * or older than any file in src/.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLARITIES, parseCsv } from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const SEEDS = 'corpus/seeds';
const LEWISHAM = 'corpus/seeds/lewisham-2010-12-15.txt';
const SEED_IDS = ['bexley-2010-11-17', 'bromley-2010-07-20', 'bromley-2011-05-10', 'bromley-2017-03-24', 'lewisham-2010-12-15'];
const TIMESCALES = 'Child protection plans do not always include measurable timescales for agreed actions.';
const STACK_LINE = '    at ';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** dist/ is stale when any file the CLI loads is missing or older than the newest file in src/. */
function distIsStale(): boolean {
  const built = ['cli.js', 'worker.js', 'index.js', 'node.js'].map((f) => join(ROOT, 'dist', f));
  if (built.some((f) => !existsSync(f))) return true;
  return Math.min(...built.map((f) => statSync(f).mtimeMs)) < newestMtime(join(ROOT, 'src'));
}

function run(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000, ...(input !== undefined ? { input } : {}) });
}

/** A readable failure: the command, its exit code and its stderr. */
const said = (r: SpawnSyncReturns<string>) => `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}; stderr:\n${r.stderr}`;

/** The README's minimal rule pack: the first ```json block after "This minimal pack". */
function readmePack(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /minimal pack[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no ```json block after "This minimal pack"');
  return m[1]!;
}

let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ofsted-findings-cli-'));
  if (distIsStale()) {
    const build = spawnSync('npx', ['tsup'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    if (build.status !== 0) throw new Error(`npx tsup failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing after the build`);
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('summarise', () => {
  it('prints each document\'s findings under "[section]" lines, then a theme × polarity table', () => {
    const r = run(['summarise', SEEDS]);
    expect(r.status, said(r)).toBe(0);
    const header = /^theme\s+positive\s+negative\s+mixed\s+neutral\s+total$/gm;
    // One table per document and one for all of them.
    expect(r.stdout.match(header)).toHaveLength(SEED_IDS.length + 1);
    expect(r.stdout).toContain(`== all documents (${SEED_IDS.length})`);

    const blocks = r.stdout.split(/^== /m).slice(1);
    expect(blocks.map((b) => b.slice(0, b.indexOf(' ')))).toEqual([...SEED_IDS, 'all']);
    for (const block of blocks.slice(0, -1)) {
      const lines = block.split('\n');
      const firstFinding = lines.findIndex((l) => l.startsWith('  - ('));
      const firstSection = lines.findIndex((l) => /^ {2}\[.+\]$/.test(l));
      expect(firstFinding, block.slice(0, 80)).toBeGreaterThan(0);
      expect(firstSection, 'a "[section]" line comes before the first finding').toBeGreaterThan(0);
      expect(firstSection).toBeLessThan(firstFinding);
      for (const l of lines.filter((x) => x.startsWith('  - '))) {
        expect(l).toMatch(/^ {2}- \((positive|negative|mixed|neutral); [a-z-]+(,[a-z-]+)*\) \S/);
      }
      const [, found, sentences] = /^\S+ \((\d+) findings in (\d+) sentences\)/.exec(block)!;
      expect(lines.filter((l) => l.startsWith('  - '))).toHaveLength(Number(found));
      expect(Number(found)).toBeLessThanOrEqual(Number(sentences));
    }

    const lewisham = blocks.find((b) => b.startsWith('lewisham-2010-12-15'))!;
    const areas = lewisham.indexOf('\n  [Areas for development]\n');
    expect(areas).toBeGreaterThan(0);
    const finding = lewisham.indexOf(`) ${TIMESCALES}`);
    expect(finding).toBeGreaterThan(areas);
    expect(lewisham.slice(lewisham.lastIndexOf('\n', finding), finding)).toMatch(/^\n {2}- \(negative; /);
  });
});

describe('classify output formats', () => {
  let jsonl: Array<Record<string, unknown>>;
  beforeAll(() => {
    const r = run(['classify', LEWISHAM, '--format', 'jsonl']);
    expect(r.status, said(r)).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    jsonl = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  });

  it('jsonl: one JSON object per line, each with doc, text, polarity, themes and span', () => {
    expect(jsonl.length).toBeGreaterThan(10);
    for (const o of jsonl) {
      expect(o).toMatchObject({ doc: 'lewisham-2010-12-15', text: expect.any(String), polarity: expect.any(String), themes: expect.any(Array), span: { start: expect.any(Number), end: expect.any(Number) } });
      expect(POLARITIES).toContain(o['polarity']);
      const span = o['span'] as { start: number; end: number };
      expect(span.end - span.start).toBe((o['text'] as string).length);
    }
    expect(jsonl.find((o) => o['text'] === TIMESCALES)).toMatchObject({ polarity: 'negative', section: 'Areas for development' });
  });

  it('csv: a header row, then one row per finding with as many cells as the header', () => {
    const r = run(['classify', LEWISHAM, '--format', 'csv']);
    expect(r.status, said(r)).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(header).toEqual(expect.arrayContaining(['doc', 'polarity', 'themes', 'text']));
    expect(rows).toHaveLength(jsonl.length);
    for (const row of rows) expect(row).toHaveLength(header!.length);
    const text = header!.indexOf('text');
    expect(rows.map((row) => row[text])).toEqual(jsonl.map((o) => o['text']));
  });

  it('md: a Markdown table', () => {
    const r = run(['classify', LEWISHAM, '--format', 'md']);
    expect(r.status, said(r)).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    expect(lines[0]).toMatch(/^\|.*\|$/);
    expect(lines[1]).toMatch(/^\|(\s*:?-{3,}:?\s*\|)+$/);
    expect(lines).toHaveLength(2 + jsonl.length);
    for (const line of lines) {
      expect(line).toMatch(/^\|.*\|$/);
      expect(cells(line)).toBe(cells(lines[0]!));
    }
    expect(r.stdout).toContain(TIMESCALES);
  });

  it('html: a self-contained document with an inline SVG heatmap and no external URLs', () => {
    const r = run(['classify', LEWISHAM, '--format', 'html']);
    expect(r.status, said(r)).toBe(0);
    const html = r.stdout;
    expect(html.trimStart().toLowerCase().startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html).toContain('<mark');
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(?:https?:)?\/\//i);
  });
});

describe('standard input', () => {
  it('reads the report from "-"', () => {
    const text = readFileSync(join(ROOT, LEWISHAM), 'utf8');
    const fromFile = run(['classify', LEWISHAM, '--format', 'jsonl']);
    const fromStdin = run(['classify', '-', '--format', 'jsonl'], text);
    expect(fromStdin.status, said(fromStdin)).toBe(0);
    const lines = fromStdin.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { doc: string; text: string; polarity: string });
    expect(lines.every((l) => l.doc === 'stdin')).toBe(true);
    const strip = (out: string) => out.trimEnd().split('\n').map((l) => { const { doc: _doc, ...rest } = JSON.parse(l) as { doc: string }; return rest; });
    expect(strip(fromStdin.stdout)).toEqual(strip(fromFile.stdout));

    const summary = run(['summarise', '-'], text);
    expect(summary.status, said(summary)).toBe(0);
    expect(summary.stdout).toMatch(/^== stdin \(\d+ findings in \d+ sentences\)/);
    expect(summary.stdout).toContain(TIMESCALES);
  });
});

describe('--out', () => {
  it('writes the output to the file and nothing to standard output', () => {
    const file = join(tmp, 'findings.md');
    const r = run(['summarise', LEWISHAM, '--format', 'md', '--out', file]);
    expect(r.status, said(r)).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(run(['summarise', LEWISHAM, '--format', 'md']).stdout);
    expect(readFileSync(file, 'utf8')).toMatch(/^\| report \| theme \|/);
  });
});

describe('--help', () => {
  it('exits 0 and documents every command, the options, and examples', () => {
    const r = run(['--help']);
    expect(r.status, said(r)).toBe(0);
    const help = r.stdout;
    for (const command of ['summarise', 'classify', 'rules check', 'eval', 'train']) expect(help).toMatch(new RegExp(`^\\s+ofsted-findings ${command}\\b`, 'm'));
    for (const option of ['--format', '--out', '--rules', '--jobs', '--help']) expect(help).toContain(option);
    for (const format of ['text', 'json', 'jsonl', 'csv', 'md', 'html']) expect(help).toMatch(new RegExp(`\\b${format}\\b`));
    const examples = help.slice(help.search(/^Examples:/m));
    expect(examples.length).toBeGreaterThan(10);
    for (const command of ['summarise', 'classify', 'rules check']) expect(examples).toMatch(new RegExp(`ofsted-findings ${command} \\S`));
    expect(examples).toMatch(/ - /); // standard input
    expect(help).toMatch(/exit codes/i);
    expect(run(['-h']).stdout).toBe(help);
  });
});

describe('usage errors', () => {
  it.each([
    ['an unknown command', ['frobnicate', SEEDS], /unknown command "frobnicate"/],
    ['an unknown option', ['summarise', '--bogus', SEEDS], /unknown option --bogus/],
    ['a bad --format for summarise', ['summarise', '--format', 'xml', SEEDS], /--format for summarise is one of text, json, csv, md, html/],
    ['a bad --format for classify', ['classify', '--format', 'text', SEEDS], /--format for classify is one of jsonl, csv, md, html/],
    ['--jobs 0', ['summarise', '--jobs', '0', SEEDS], /--jobs takes a whole number/],
    ['--jobs without a value', ['summarise', SEEDS, '--jobs'], /--jobs needs a value/],
    ['no inputs', ['summarise'], /needs at least one file/],
  ])('%s exits 1 with a clear message and no stack trace', (_name, args, message) => {
    const r = run(args);
    expect(r.status, said(r)).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain(STACK_LINE);
    expect(r.stdout).toBe('');
  });
});

describe('a batch with one bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = join(tmp, 'batch');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'broken.pdf'), 'not a pdf');
    copyFileSync(join(ROOT, LEWISHAM), join(dir, 'good.txt'));
  });

  it.each([[[]], [['--jobs', '2']]])('exits 2, names broken.pdf on stderr, and still prints the good file\'s findings (extra options: %j)', (extra) => {
    const r = run(['summarise', join(dir, 'broken.pdf'), join(dir, 'good.txt'), ...extra]);
    expect(r.status, said(r)).toBe(2);
    expect(r.stderr).toMatch(/broken\.pdf: .*PDF/);
    expect(r.stderr).toMatch(/1 of 2 input\(s\) failed/);
    expect(r.stderr).not.toContain(STACK_LINE);
    expect(r.stdout).toMatch(/^== good \(\d+ findings in \d+ sentences\)/);
    expect(r.stdout).toContain(TIMESCALES);
    expect(r.stdout).not.toContain('== broken');
  });
});

describe('--jobs', () => {
  it.each([[['summarise', SEEDS]], [['classify', SEEDS, '--format', 'jsonl']]])('--jobs 2 gives byte-identical standard output to the serial run: %j', (args) => {
    const serial = run(args);
    const parallel = run([...args, '--jobs', '2']);
    expect(serial.status, said(serial)).toBe(0);
    expect(parallel.status, said(parallel)).toBe(0);
    expect(parallel.stdout.length).toBeGreaterThan(1000);
    expect(parallel.stdout).toBe(serial.stdout);
    // Progress goes to stderr: plain lines when stderr is not a TTY.
    expect(parallel.stderr).toMatch(new RegExp(`^${SEED_IDS.length}/${SEED_IDS.length} `, 'm'));
  });
});

describe('rules check', () => {
  it("accepts the README's minimal pack, listing its theme and rule votc.views", () => {
    const file = join(tmp, 'my-pack.json');
    writeFileSync(file, readmePack());
    const r = run(['rules', 'check', file]);
    expect(r.status, said(r)).toBe(0);
    expect(r.stdout).toContain('is valid');
    expect(r.stdout).toMatch(/votc\.views/);
    expect(r.stdout).toContain('voice-of-the-child');
    expect(r.stdout).not.toMatch(/warning/);
  });

  it.each([
    ['a weight that is not a number', (p: Record<string, any>) => void (p['rules'][0].weight = 'heavy'), /rules\.0\.weight/],
    ['a target with an unknown key', (p: Record<string, any>) => void (p['rules'][0].target = { colour: 'red' }), /rules\.0\.target/],
    ['a theme without a label', (p: Record<string, any>) => void delete p['themes'][0].label, /themes\.0\.label/],
  ])('rejects a pack with %s: exit 2, naming the field path', (_name, spoil, path) => {
    const pack = JSON.parse(readmePack()) as Record<string, any>;
    spoil(pack);
    const file = join(tmp, 'bad-pack.json');
    writeFileSync(file, JSON.stringify(pack, null, 2));
    const r = run(['rules', 'check', file]);
    expect(r.status, said(r)).toBe(2);
    expect(r.stderr).toMatch(path);
    expect(r.stderr).toContain('bad-pack.json');
    expect(r.stderr).not.toContain(STACK_LINE);
  });
});
