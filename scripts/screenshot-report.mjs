#!/usr/bin/env node
/**
 * Render the HTML report for one seed and screenshot it with headless Chromium:
 *
 *   node dist/cli.js summarise corpus/seeds/bromley-2011-05-10.txt --format html --out /tmp/ofsted-report.html
 *   chromium --headless … --screenshot=reports/html-report.png file:///tmp/ofsted-report.html
 *
 * Needs a build (npm run build) and Chromium (Debian: apt-get install -y chromium;
 * or set CHROMIUM to the browser's path). Exits non-zero, saying why, when either is missing.
 *
 * Usage: node scripts/screenshot-report.mjs [seed-file] [--out reports/html-report.png] [--size 1200,2400]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const value = args[i + 1];
  if (value === undefined) fail(`${name} needs a value`);
  args.splice(i, 2);
  return value;
};

function fail(message) {
  process.stderr.write(`screenshot-report: ${message}\n`);
  process.exit(1);
}

const out = resolve(root, option('--out', 'reports/html-report.png'));
const size = option('--size', '1200,2400');
if (!/^\d{2,5},\d{2,5}$/.test(size)) fail(`--size is "width,height" in pixels, e.g. 1200,2400 (got "${size}")`);
const seed = resolve(root, args[0] ?? 'corpus/seeds/bromley-2011-05-10.txt');
const html = join(tmpdir(), 'ofsted-report.html');
/** Warn above this size: the screenshot is committed to the repository. */
const MAX_BYTES = 400 * 1024;

const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
const chromium = candidates.find((p) => existsSync(p));
if (!chromium) {
  fail(`Chromium was not found (looked for ${candidates.join(', ')}). Install it (Debian: apt-get update && apt-get install -y chromium) or set CHROMIUM=/path/to/chromium.`);
}
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) fail(`${cli} is missing: run "npm run build" first.`);
if (!existsSync(seed)) fail(`${seed} does not exist.`);

// 1. The HTML report.
const render = spawnSync(process.execPath, [cli, 'summarise', seed, '--format', 'html', '--out', html], { cwd: root, encoding: 'utf8' });
if (render.status !== 0) fail(`the CLI failed (exit ${render.status}):\n${render.stderr}`);
process.stdout.write(`rendered ${html}\n`);

// 2. The screenshot, from a fresh profile, with no network chatter.
mkdirSync(dirname(out), { recursive: true });
rmSync(out, { force: true });
const profile = mkdtempSync(join(tmpdir(), 'ofsted-chromium-'));
try {
  const shot = spawnSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      `--window-size=${size}`,
      `--screenshot=${out}`,
      pathToFileURL(html).href,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (shot.error) fail(`Chromium did not run: ${shot.error.message}`);
  if (!existsSync(out)) fail(`Chromium wrote no screenshot (exit ${shot.status}${shot.signal ? `, ${shot.signal}` : ''}):\n${shot.stderr}`);
} finally {
  rmSync(profile, { recursive: true, force: true });
}

const bytes = statSync(out).size;
process.stdout.write(`saved ${out} (${size.replace(',', '×')} px, ${(bytes / 1024).toFixed(0)} KB)\n`);
if (bytes > MAX_BYTES) process.stderr.write(`screenshot-report: warning: the screenshot is over ${MAX_BYTES / 1024} KB; try a smaller --size\n`);
