/**
 * The ofsted-findings command line: a thin shell over the public API.
 * Exit codes: 0 success, 1 usage error, 2 bad input (some inputs failed).
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  OfstedFindingsError,
  aggregateSummaries,
  compileRulePacks,
  createClassifier,
  fromPdf,
  fromText,
  parseRulePack,
  summariseReport,
  tokenize,
  BUILTIN_RULE_PACKS,
  type Classifier,
  type ReportSummary,
  type RulePack,
} from '../index.js';
import { packageRoot } from '../node.js';
import { renderSummaries } from './render.js';

const HELP = `ofsted-findings — themes and polarity for the findings of Ofsted children's services reports

Usage:
  ofsted-findings summarise <files|dirs|-> [options]   findings by section, then a theme × polarity table
  ofsted-findings classify  <files|dirs|-> [options]   every finding sentence with its themes and polarity
  ofsted-findings rules check <pack.json>              validate a rule pack and list its rules
  ofsted-findings eval [-- eval options]               score the classifier on the labelled corpus (repository only)
  ofsted-findings train                                retrain the bundled model (repository only)

Inputs are .txt or .pdf files, folders of them, or - for text on standard input.

Options:
  --format <f>     summarise: text (default), json, csv, md, html
                   classify:  jsonl (default), csv, md, html
  --out <file>     write to a file instead of standard output
  --rules <file>   add a rule pack (repeatable), e.g. your own themes
  --jobs <n>       process inputs in n worker threads (default 1)
  --help           show this help

Examples:
  ofsted-findings summarise corpus/seeds
  ofsted-findings summarise reports/ --jobs 2 --format html --out summary.html
  ofsted-findings classify report.pdf --format csv --out findings.csv
  cat letter.txt | ofsted-findings classify - --format md
  ofsted-findings classify reports/ --rules my-pack.json
  ofsted-findings rules check my-pack.json
  ofsted-findings eval -- --check      (in a clone of the repository)
  ofsted-findings train                (in a clone of the repository)

Exit codes: 0 success, 1 usage error, 2 bad input (failed files are named on stderr; the others still complete).`;

class UsageError extends Error {}

interface Args {
  command: string;
  sub?: string;
  inputs: string[];
  format?: string;
  out?: string;
  rules: string[];
  jobs: number;
  rest: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { command: '', inputs: [], rules: [], jobs: 1, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--') {
      args.rest = argv.slice(i + 1);
      break;
    } else if (a === '--help' || a === '-h') args.command = 'help';
    else if (a === '--format') args.format = value();
    else if (a === '--out' || a === '-o') args.out = value();
    else if (a === '--rules') args.rules.push(value());
    else if (a === '--jobs' || a === '-j') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--jobs takes a whole number from 1 to 64');
      args.jobs = n;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (!args.command) args.command = a;
    else if (args.command === 'rules' && !args.sub) args.sub = a;
    else args.inputs.push(a);
  }
  return args;
}

/** Expand folders into their .txt and .pdf files, sorted; keep "-" for stdin. */
function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push(input);
      continue;
    }
    if (!existsSync(input)) {
      out.push(input); // reported as a bad input when read
      continue;
    }
    if (statSync(input).isDirectory()) {
      for (const name of readdirSync(input).sort()) {
        if (/\.(txt|pdf)$/i.test(name)) out.push(join(input, name));
      }
    } else out.push(input);
  }
  return out;
}

function loadPacks(paths: string[]): RulePack[] {
  return paths.map((p) => {
    if (!existsSync(p)) throw new UsageError(`rule pack ${p} does not exist`);
    return parseRulePack(readFileSync(p, 'utf8'), p);
  });
}

function progress(done: number, total: number, label: string): void {
  if (total <= 1) return;
  if (process.stderr.isTTY) {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label.slice(0, 40).padEnd(40)}`);
    if (done === total) process.stderr.write('\n');
  } else {
    process.stderr.write(`${done}/${total} ${label}\n`);
  }
}

async function summariseOne(path: string, classifier: Classifier): Promise<ReportSummary> {
  const id = path === '-' ? 'stdin' : basename(path).replace(/\.(txt|pdf)$/i, '');
  if (path === '-') return summariseReport(readFileSync(0, 'utf8'), { id, classifier });
  const ext = extname(path).toLowerCase();
  if (ext === '.pdf') {
    const doc = await fromPdf(new Uint8Array(readFileSync(path)), { id });
    return summariseReport(doc, { classifier });
  }
  return summariseReport(fromText(readFileSync(path, 'utf8'), { id }), { classifier });
}

function describeError(error: unknown): string {
  if (error instanceof OfstedFindingsError) return `${error.message} [${error.code}]`;
  if (error instanceof Error) return error.message;
  return String(error);
}

interface Outcome {
  summaries: ReportSummary[];
  failed: Array<{ path: string; message: string }>;
}

async function runSerial(paths: string[], packs: string[]): Promise<Outcome> {
  const classifier = createClassifier({ rulePacks: loadPacks(packs) });
  const outcome: Outcome = { summaries: [], failed: [] };
  let done = 0;
  for (const path of paths) {
    try {
      if (path !== '-' && !existsSync(path)) throw new Error('no such file');
      outcome.summaries.push(await summariseOne(path, classifier));
    } catch (error) {
      outcome.failed.push({ path, message: describeError(error) });
    }
    progress(++done, paths.length, path);
  }
  return outcome;
}

async function runParallel(paths: string[], packs: string[], jobs: number, slim: boolean): Promise<Outcome> {
  loadPacks(packs); // validate once, up front, as a usage error
  const results = new Map<string, ReportSummary>();
  const outcome: Outcome = { summaries: [], failed: [] };
  const queue = paths.filter((p) => p !== '-');
  let done = 0;
  if (paths.includes('-')) {
    // Standard input belongs to this thread: read it here, beside the workers.
    try {
      results.set('-', await summariseOne('-', createClassifier({ rulePacks: loadPacks(packs) })));
    } catch (error) {
      outcome.failed.push({ path: '-', message: describeError(error) });
    }
    progress(++done, paths.length, 'stdin');
  }
  const workerUrl = new URL('./worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(jobs, Math.max(queue.length, 0)) }, () =>
      new Promise<void>((resolvePromise, reject) => {
        const worker = new Worker(workerUrl, { workerData: { packs, slim } });
        const next = () => {
          const path = queue.shift();
          if (path === undefined) {
            void worker.terminate().then(() => resolvePromise());
            return;
          }
          worker.postMessage(path);
        };
        worker.on('message', (m: { path: string; summary?: ReportSummary; error?: string }) => {
          if (m.summary) results.set(m.path, m.summary);
          else outcome.failed.push({ path: m.path, message: m.error ?? 'failed' });
          progress(++done, paths.length, m.path);
          next();
        });
        worker.on('error', reject);
        next();
      }),
    ),
  );
  // Same order as the serial path, whatever order the workers finished in.
  for (const path of paths) {
    const summary = results.get(path);
    if (summary) outcome.summaries.push(summary);
  }
  return outcome;
}

function write(out: string | undefined, text: string): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

function rulesCheck(file: string | undefined): number {
  if (!file) throw new UsageError('rules check needs a rule pack file: ofsted-findings rules check my-pack.json');
  if (!existsSync(file)) throw new UsageError(`rule pack ${file} does not exist`);
  let pack: RulePack;
  try {
    pack = parseRulePack(readFileSync(file, 'utf8'), file);
    compileRulePacks([...BUILTIN_RULE_PACKS, pack]);
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    return 2;
  }
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const rule of pack.rules ?? []) {
    for (const pattern of rule.patterns) {
      const key = `${JSON.stringify(rule.target)} ${pattern.toLowerCase().trim().replace(/\s+/g, ' ')}`;
      const other = seen.get(key);
      if (other) warnings.push(`rule ${rule.id}: pattern "${pattern}" duplicates rule ${other}`);
      else seen.set(key, rule.id);
      // An exact word the tokenizer can never produce (capitals, inner punctuation) can never match.
      for (const alt of pattern.split(/\s+/).flatMap((e) => e.replace(/\?$/, '').split('|'))) {
        if (!alt.startsWith('=')) continue;
        const word = alt.slice(1);
        const tokens = tokenize(word);
        if (tokens.length !== 1 || tokens[0]!.norm !== word) warnings.push(`rule ${rule.id}: "${alt}" can never match (tokens are lowercase single words)`);
      }
    }
    if (rule.enabled === false) warnings.push(`rule ${rule.id} is disabled`);
    if (rule.weight === 0) warnings.push(`rule ${rule.id} has weight 0 and never contributes`);
  }
  for (const builtin of BUILTIN_RULE_PACKS) {
    for (const rule of pack.rules ?? []) if (builtin.rules?.some((r) => r.id === rule.id)) warnings.push(`rule ${rule.id} replaces the built-in rule with the same id`);
  }
  process.stdout.write(`${file}: rule pack "${pack.id}" ${pack.version} is valid\n`);
  for (const theme of pack.themes ?? []) process.stdout.write(`  theme ${theme.id}: ${theme.label}\n`);
  for (const rule of pack.rules ?? []) {
    const target = Object.entries(rule.target)[0]!.join(' ');
    process.stdout.write(`  ${rule.id}  [${target}, weight ${rule.weight}]  ${rule.patterns.length} pattern(s)${rule.description ? ` — ${rule.description}` : ''}\n`);
  }
  for (const w of warnings) process.stdout.write(`  warning: ${w}\n`);
  return 0;
}

function repositoryScript(name: string, rest: string[]): number {
  const script = [join(process.cwd(), 'scripts', name), join(packageRoot(), 'scripts', name)].find((p) => existsSync(p));
  if (!script) {
    process.stderr.write(`${name.replace('.mjs', '')} needs the ofsted-findings repository (its labelled corpus and development dependencies); run it from a clone\n`);
    return 1;
  }
  return spawnSync(process.execPath, [script, ...rest], { stdio: 'inherit' }).status ?? 1;
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`ofsted-findings: ${(error as Error).message}\n(see ofsted-findings --help)\n`);
    return 1;
  }
  try {
    switch (args.command) {
      case 'help':
        process.stdout.write(`${HELP}\n`);
        return 0;
      case '':
        process.stderr.write(`${HELP}\n`);
        return 1;
      case 'rules':
        if (args.sub !== 'check') throw new UsageError('usage: ofsted-findings rules check <pack.json>');
        return rulesCheck(args.inputs[0]);
      case 'eval':
        return repositoryScript('eval.mjs', [...args.inputs, ...args.rest]);
      case 'train':
        return repositoryScript('train.mjs', [...args.inputs, ...args.rest]);
      case 'summarise':
      case 'summarize':
      case 'classify': {
        const classify = args.command === 'classify';
        const format = args.format ?? (classify ? 'jsonl' : 'text');
        const allowed = classify ? ['jsonl', 'csv', 'md', 'html'] : ['text', 'json', 'csv', 'md', 'html'];
        if (!allowed.includes(format)) throw new UsageError(`--format for ${args.command} is one of ${allowed.join(', ')}`);
        if (args.inputs.length === 0) throw new UsageError(`${args.command} needs at least one file, folder or -`);
        const paths = expandInputs(args.inputs);
        if (paths.length === 0) throw new UsageError(`no .txt or .pdf files in ${args.inputs.join(', ')}`);
        const packs = args.rules.map((p) => resolve(p));
        // Formats that print only sentences and tables do not need the report text or evidence back from workers.
        const slim = ['text', 'csv', 'md', 'classify-csv', 'classify-md'].includes(classify ? `classify-${format}` : format);
        const outcome = args.jobs > 1 && paths.length > 1 ? await runParallel(paths, packs, args.jobs, slim) : await runSerial(paths, packs);
        const themes = createClassifier({ rulePacks: loadPacks(packs) }).themes.map((t) => t.id);
        write(args.out, renderSummaries(outcome.summaries, aggregateSummaries(outcome.summaries, themes), themes, classify ? `classify-${format}` : format));
        for (const f of outcome.failed) process.stderr.write(`ofsted-findings: ${f.path}: ${f.message}\n`);
        if (outcome.failed.length > 0) {
          process.stderr.write(`ofsted-findings: ${outcome.failed.length} of ${paths.length} input(s) failed; the others completed\n`);
          return 2;
        }
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${args.command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ofsted-findings: ${error.message}\n(see ofsted-findings --help)\n`);
      return 1;
    }
    process.stderr.write(`ofsted-findings: ${describeError(error)}\n`);
    return 2;
  }
}

// A reader that stops early (| head) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ofsted-findings: ${describeError(error)}\n`);
    process.exitCode = 2;
  },
);
