#!/usr/bin/env node
// Draw the annotation samples from the shared corpus, reproducibly.
//
// Round 1 (--round 1, seed 2026):
//   random:     6 sentences per report, uniformly at random, no filtering of any kind
//   enrichment: 450 more, uniformly at random from sentences under improvement /
//               recommendation headings ("What needs to improve", "Areas for improvement",
//               "Recommendations", "Priority action"), where recording, supervision and
//               thresholds findings concentrate. Chosen by heading, never by the rule packs' cues.
// Round 2 (--round 2, seed 2027), after round 1 was labelled:
//   random:     8 more sentences per report, uniformly at random among those not yet drawn
//   enrichment: up to 700 sentences adjacent (previous or next sentence of the same paragraph
//               or section) to round-1 sentences that readers labelled recording, supervision
//               or thresholds. Chosen by human labels, never by the rule packs' cues.
//
// Round 3 (--round 3, seed 2028): as round 2, with 10 more random sentences per report and up
//   to 800 neighbours of sentences labelled recording, supervision or thresholds in rounds 1–2.
// Round 4 (--round 4, seed 2029): 10 more random per report, and up to 1,000 neighbours of
//   sentences labelled recording, supervision, thresholds or workforce in rounds 1–3
//   (workforce joins the rare themes: it and thresholds had the lowest F1 after round 3).
// Round 5 (--round 5, seed 2030): 10 more random per report, and up to 1,200 neighbours of
//   sentences labelled recording, supervision, thresholds or workforce in rounds 1–4
//   (thresholds still had the lowest F1 after round 4, at 0.725).
// Round 6 (--round 6, seed 2031): 8 more random per report, and up to 1,200 neighbours as in
//   round 5 (labels of rounds 1–5), never drawing a sentence listed in corpus/rule-development.jsonl.
// Round 7 (--round 7, seed 2032): 8 more random per report, and up to 1,500 neighbours as in
//   round 6 (labels of rounds 1–6; thresholds was still lowest after round 6, at 0.737).
// Round 8 (--round 8, seed 2033): 8 more random per report, and up to 1,000 neighbours as in
//   round 7 (labels of rounds 1–7; thresholds still lowest after round 7, at 0.747).
// Round 9 (--round 9, seed 2034): 4 more random per report, and up to 2,000 neighbours of
//   sentences labelled thresholds in rounds 1–8 (thresholds is the one theme still below 0.80,
//   at 0.765 after round 8; the other rare themes are above it), reaching up to two sentences away
//   within the same paragraph or section. Never a rule-development sentence.
// Round 10 (--round 10, seed 2035): 8 more random per report, and up to 2,000 neighbours as in round 9,
//   of the thresholds labels of rounds 1–9 (570 were left once the random draw, which comes first, had run).
// --batches N also writes the rows, shuffled, into N batch files for readers (rounds 9 and 10 were
//   handed out this way; rounds 5–8 were shuffled outside the script).
// Shuffling continues from a fresh generator with the round's seed: the same stream as the round's
// first picks, which is harmless (it only orders rows already drawn) and keeps each batch reproducible.
// Rounds 1 and 2 were drawn under segmentation v1; their references were migrated to v2 by
// scripts/migrate-annotations.mjs, so re-running them now draws from v2 sentences.
//
// Writes sentence references plus text to an output directory OUTSIDE the repository
// (the text of the shared reports is never committed).
// Usage: node scripts/sample-annotation.mjs --round 1..10 --out /tmp/annot [--batches N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSharedDocument, readAnnotationFiles, readManifest, readRuleDevelopmentKeys, sharedCorpusDir } from 'ofsted-findings/node';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out');
if (!out) throw new Error('--out DIR is required (outside the repository)');
const round = Number(arg('round', '1'));

function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function picker(seed) {
  const rand = mulberry32(seed);
  return (n, k) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
    return idx.slice(0, k).sort((a, b) => a - b);
  };
}
const IMPROVE = /what needs to improve|areas? for (improvement|development)|recommendation|priority (and immediate )?action/i;
const RARE = ['recording', 'supervision', 'thresholds'];

const entries = readManifest().sort((a, b) => a.id.localeCompare(b.id));
const row = (s, sample) => ({ doc: s.docId, sentence: s.index, hash: s.hash, section: s.section ?? '', sample, text: s.text });
const rows = [];

if (round === 1) {
  const pick = picker(2026);
  const pool = [];
  for (const entry of entries) {
    const doc = await loadSharedDocument(sharedCorpusDir(), entry.id);
    const chosen = new Set(pick(doc.sentences.length, 6));
    for (const i of chosen) rows.push(row(doc.sentences[i], 'random'));
    for (const s of doc.sentences) if (!chosen.has(s.index) && s.sectionPath.some((h) => IMPROVE.test(h))) pool.push(row(s, 'enrichment'));
  }
  for (const i of pick(pool.length, 450)) rows.push(pool[i]);
} else {
  // Labels of earlier rounds only: round 1 was read by a1–a7, round 2 by a8–a14, round 3 by a15–a22,
  // round 4 by a23–a29, round 5 by a30–a37, round 6 by a38–a44, round 7 by a45–a52, round 8 by a53–a60,
  // round 9 by a61–a67.
  const lastAnnotator = { 2: 7, 3: 14, 4: 22, 5: 29, 6: 37, 7: 44, 8: 52, 9: 60, 10: 67 }[round] ?? 0;
  const earlier = new Set(Array.from({ length: lastAnnotator }, (_, i) => `a${i + 1}`));
  const rare = round >= 9 ? ['thresholds'] : round >= 4 ? [...RARE, 'workforce'] : RARE;
  const labelled = [...readAnnotationFiles().values()].flat().filter((a) => a.sample === 'seed' || earlier.has(a.annotator));
  const taken = new Set(labelled.map((a) => `${a.doc}#${a.sentence}`));
  // From round 6 on, sentences read while writing the rule packs are never drawn (see corpus/README.md).
  if (round >= 6) for (const key of readRuleDevelopmentKeys()) taken.add(key);
  const rarePositive = labelled.filter((a) => a.sample !== 'seed' && a.themes.some((t) => rare.includes(t)));
  const pick = picker(2025 + round);
  const perReport = round === 9 ? 4 : round === 2 || round >= 6 ? 8 : 10;
  const enrichmentSize = { 2: 700, 3: 800, 4: 1000, 7: 1500, 8: 1000, 9: 2000, 10: 2000 }[round] ?? 1200;
  const docs = new Map();
  for (const entry of entries) docs.set(entry.id, await loadSharedDocument(sharedCorpusDir(), entry.id));
  for (const entry of entries) {
    const doc = docs.get(entry.id);
    const free = doc.sentences.filter((s) => !taken.has(`${s.docId}#${s.index}`));
    for (const i of pick(free.length, perReport)) { rows.push(row(free[i], 'random')); taken.add(`${free[i].docId}#${free[i].index}`); }
  }
  const neighbours = [];
  for (const a of rarePositive) {
    const doc = docs.get(a.doc);
    // Round 9: the adjacent sentences of thresholds labels are mostly drawn already, so reach two away.
    const offsets = round >= 9 ? [-1, 1, -2, 2] : [-1, 1];
    for (const j of offsets.map((d) => a.sentence + d)) {
      const s = doc.sentences[j];
      if (!s || taken.has(`${s.docId}#${s.index}`)) continue;
      const here = doc.sentences[a.sentence];
      if (s.paragraph !== here.paragraph && s.section !== here.section) continue;
      taken.add(`${s.docId}#${s.index}`);
      neighbours.push(row(s, 'enrichment'));
    }
  }
  for (const i of pick(neighbours.length, enrichmentSize)) rows.push(neighbours[i]);
}
mkdirSync(out, { recursive: true });
const file = join(out, `sample-round${round}.jsonl`);
writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const batches = Number(arg('batches', '0'));
if (!Number.isInteger(batches) || batches < 0) throw new Error(`--batches must be a whole number of batches, got ${arg('batches')}`);
if (batches > 0) {
  const order = Array.from({ length: rows.length }, (_, i) => i);
  const shuffle = mulberry32(2025 + round);
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(shuffle() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const size = Math.ceil(rows.length / batches);
  // ceil-sized batches (as rounds 9 and 10 were handed out), so the last ones may be short or, with
  // more batches than rows allow, empty: an empty batch is not written.
  for (let b = 0; b < batches && b * size < rows.length; b++) {
    const part = order.slice(b * size, (b + 1) * size).map((i) => rows[i]);
    writeFileSync(join(out, `round${round}-batch${b + 1}.jsonl`), part.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}
const count = (s) => rows.filter((r) => r.sample === s).length;
console.log(`round ${round}: random ${count('random')}, enrichment ${count('enrichment')} → ${file}`);
