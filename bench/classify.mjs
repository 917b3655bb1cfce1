#!/usr/bin/env node
// Throughput and cold start of classifyFinding, as ratios against the `sentiment` package (AFINN)
// on the same sentences, in the same run. Also the published tarball's size.
// Usage: npm run bench:classify [-- --sentences N] [-- --cold-runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { classifyFinding, loadSeedDocuments, loadSharedDocument, readManifest, sharedCorpusDir, sharedCorpusMissing, packageRoot } from 'ofsted-findings/node';

const require = createRequire(import.meta.url);
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? Number(process.argv[i + 1]) : fallback; };
const N = arg('sentences', 20000);
const coldRuns = arg('cold-runs', 7);

// The same sentences for every system: seeds, then shared reports when available.
let sentences = loadSeedDocuments().flatMap((d) => d.sentences.map((s) => s.text));
if (!sharedCorpusMissing()) {
  for (const e of readManifest()) {
    if (sentences.length >= N) break;
    sentences.push(...(await loadSharedDocument(sharedCorpusDir(), e.id)).sentences.map((s) => s.text));
  }
}
sentences = sentences.slice(0, N);

const Sentiment = require('sentiment');
const afinn = new Sentiment();
function throughput(fn) {
  for (const s of sentences.slice(0, 500)) fn(s); // warm-up (JIT, caches, model load)
  const best = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (const s of sentences) fn(s);
    best.push(sentences.length / ((performance.now() - t0) / 1000));
  }
  return Math.max(...best);
}
const ours = throughput((s) => classifyFinding(s));
const theirs = throughput((s) => afinn.analyze(s));

// Cold start: a fresh node process that imports, loads, and classifies one sentence.
const sentence = 'Management oversight is not always evident on case records.';
const cold = (code) => {
  const times = [];
  for (let i = 0; i < coldRuns; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: packageRoot(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
};
const coldOurs = cold(`import { classifyFinding } from 'ofsted-findings'; classifyFinding(${JSON.stringify(sentence)});`);
const coldTheirs = cold(`import Sentiment from 'sentiment'; new Sentiment().analyze(${JSON.stringify(sentence)});`);

const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];

const result = {
  sentences: sentences.length,
  throughput: { classifyFinding: Math.round(ours), sentimentAfinn: Math.round(theirs), ratio: +(ours / theirs).toFixed(3) },
  coldStartMs: { classifyFinding: Math.round(coldOurs), sentimentAfinn: Math.round(coldTheirs), ratio: +(coldOurs / coldTheirs).toFixed(3) },
  tarball: { bytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.entryCount },
  node: process.version,
};
console.log(JSON.stringify(result, null, 2));
console.log(`classifyFinding ${result.throughput.ratio}× the throughput of sentiment (AFINN); cold start ${result.coldStartMs.ratio}× sentiment's; tarball ${(pack.size / 1024 / 1024).toFixed(2)} MB`);
