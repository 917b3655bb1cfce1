#!/usr/bin/env node
// Batch speed of the CLI: every shared report, PDF to summary, with --jobs N (default 2).
// Measures wall time and peak RSS of the whole CLI process tree by polling /proc (Linux),
// so no external timing tool is needed. Goal on a 2-core machine: < 60 s and < 1 GB.
// Usage: npm run bench:summarise [-- --jobs N]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot, sharedCorpusDir, sharedCorpusMissing } from 'ofsted-findings/node';

const missing = sharedCorpusMissing();
if (missing) {
  console.error(`bench/summarise: ${missing}`);
  process.exit(2);
}
const i = process.argv.indexOf('--jobs');
const jobs = i >= 0 ? Number(process.argv[i + 1]) : 2;
const dir = sharedCorpusDir();
const reports = readdirSync(dir).filter((f) => f.endsWith('.pdf')).length;
const out = join(tmpdir(), `ofsted-findings-bench-${process.pid}.csv`);

const rss = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
};
const started = performance.now();
const child = spawn(process.execPath, [join(packageRoot(), 'dist', 'cli.js'), 'summarise', dir, '--jobs', String(jobs), '--format', 'csv', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, rss(child.pid))), 50);
const code = await new Promise((resolve) => child.on('exit', resolve));
clearInterval(timer);
const seconds = (performance.now() - started) / 1000;
const rows = readFileSync(out, 'utf8').trim().split('\n').length - 1;
console.log(JSON.stringify({ reports, jobs, exitCode: code, seconds: +seconds.toFixed(1), reportsPerSecond: +(reports / seconds).toFixed(2), peakRssMb: Math.round(peak / 1024 / 1024), csvRows: rows }, null, 2));
if (code !== 0) console.error(stderr.split('\n').filter((l) => !/^\d+\/\d+ /.test(l)).join('\n'));
