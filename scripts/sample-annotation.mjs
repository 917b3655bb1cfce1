#!/usr/bin/env node
// Draw the annotation samples from the shared corpus, reproducibly.
//   random:     6 sentences per report, uniformly at random (seeded), no filtering of any kind
//   enrichment: 450 more, uniformly at random from sentences under improvement /
//               recommendation headings ("What needs to improve", "Areas for improvement",
//               "Recommendations", "Priority action"), where recording, supervision and
//               thresholds findings concentrate. Chosen by heading, never by the rule packs' cues.
// Writes sentence references plus text to an output directory OUTSIDE the repository
// (the text of the shared reports is never committed).
// Usage: node scripts/sample-annotation.mjs --out /tmp/annot [--seed 2026]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromPdf, readManifest, sharedCorpusDir } from 'ofsted-findings/node';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out');
if (!out) throw new Error('--out DIR is required (outside the repository)');
const seed = Number(arg('seed', '2026'));

function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(seed);
const pick = (n, k) => {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
  return idx.slice(0, k).sort((a, b) => a - b);
};
const IMPROVE = /what needs to improve|areas? for (improvement|development)|recommendation|priority (and immediate )?action/i;

const random = [];
const pool = [];
const entries = readManifest().sort((a, b) => a.id.localeCompare(b.id));
for (const entry of entries) {
  const doc = await fromPdf(new Uint8Array(readFileSync(join(sharedCorpusDir(), `${entry.id}.pdf`))), { id: entry.id });
  const row = (s, sample) => ({ doc: s.docId, sentence: s.index, hash: s.hash, section: s.section ?? '', sample, text: s.text });
  const chosen = new Set(pick(doc.sentences.length, 6));
  for (const i of chosen) random.push(row(doc.sentences[i], 'random'));
  for (const s of doc.sentences) if (!chosen.has(s.index) && s.sectionPath.some((h) => IMPROVE.test(h))) pool.push(row(s, 'enrichment'));
}
const enrichment = pick(pool.length, 450).map((i) => pool[i]);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'sample.jsonl'), [...random, ...enrichment].map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(`random ${random.length}, enrichment ${enrichment.length} (pool ${pool.length}) → ${join(out, 'sample.jsonl')}`);
