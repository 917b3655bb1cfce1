#!/usr/bin/env node
// A second reading of thresholds-rich sentences: how far do two readers agree where thresholds findings
// concentrate? Gives a reference point for the thresholds F1 target (the first study, on round-1
// sentences, held few thresholds sentences).
//
//   node scripts/thresholds-agreement.mjs --draw --out DIR   draws the sample (seed 2036) to DIR, outside
//        the repository: 400 sentences uniformly at random from the enrichment sentences of rounds 9 and 10
//        (annotators a61–a74), which were drawn next to sentences labelled thresholds. Chosen by the sampling
//        design alone, never by a model's or a rule's output.
//   node scripts/thresholds-agreement.mjs                     compares corpus/annotations/agreement/
//        thresholds-second.jsonl (the second reader's labels) with the corpus labels: Cohen's κ per label,
//        and the second reader's F1 per theme against the first reader's labels. The corpus keeps the first
//        reader's labels; these are not adjudicated.
//   add --model to score the shipped classifier's out-of-fold predictions on the same sentences against
//        each reader: grouped 5-fold CV by authority, seed 2026, as npm run eval (about 3 minutes).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORE_THEMES, agreement, createClassifier, crossValidate, groupedFolds, loadLabelledCorpus, loadSharedDocument, multiLabelPRF, packageRoot,
  parseAnnotations, readAnnotationFiles, sharedCorpusDir, trainModelInWorkers,
} from 'ofsted-findings/node';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SECOND = join(packageRoot(), 'corpus', 'annotations', 'agreement', 'thresholds-second.jsonl');
const ROUND_READERS = new Set(Array.from({ length: 14 }, (_, i) => `a${61 + i}`));
const first = [...readAnnotationFiles().values()].flat().filter((a) => a.sample === 'enrichment' && ROUND_READERS.has(a.annotator));
first.sort((a, b) => a.doc.localeCompare(b.doc) || a.sentence - b.sentence);

if (process.argv.includes('--draw')) {
  const out = arg('out');
  if (!out) throw new Error('--out DIR is required (outside the repository)');
  // mulberry32 and a seeded partial Fisher–Yates, as in sample-annotation.mjs.
  let state = 2036;
  const rand = () => {
    state |= 0; state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const idx = first.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
  const docs = new Map();
  const rows = [];
  for (const i of idx.slice(0, 400)) {
    const a = first[i];
    if (!docs.has(a.doc)) docs.set(a.doc, await loadSharedDocument(sharedCorpusDir(), a.doc));
    const s = docs.get(a.doc).sentences[a.sentence];
    rows.push({ doc: a.doc, sentence: a.sentence, hash: a.hash, section: s.section ?? '', sample: a.sample, text: s.text });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'thresholds-agreement.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`${rows.length} sentences → ${join(out, 'thresholds-agreement.jsonl')}`);
} else {
  const second = parseAnnotations(readFileSync(SECOND, 'utf8'), 'agreement/thresholds-second.jsonl');
  const byKey = new Map(first.map((a) => [`${a.doc}#${a.sentence}`, a]));
  const pairs = second.map((b) => [byKey.get(`${b.doc}#${b.sentence}`), b]);
  if (pairs.some(([a, b]) => a === undefined || a.hash !== b.hash)) throw new Error('thresholds-second.jsonl names a sentence outside the sample, or its hash differs');
  const report = agreement(pairs.map(([a]) => a), second, CORE_THEMES);
  const prf = multiLabelPRF(pairs.map(([a]) => a.themes), second.map((b) => b.themes), CORE_THEMES);
  const count = (list, t) => list.filter((a) => a.themes.includes(t)).length;
  console.log(`${report.n} sentences read twice (first reader: the corpus label; second reader: ${[...new Set(second.map((b) => b.annotator))].join(', ')})`);
  console.log(`Cohen's κ: finding ${report.finding.toFixed(3)}, polarity ${report.polarity.toFixed(3)}`);
  for (const t of CORE_THEMES) {
    console.log(`  ${t.padEnd(13)} κ ${report.themes[t].toFixed(3)}   second reader's F1 against the first ${prf.perLabel[t].f1.toFixed(3)}   (first ${count(pairs.map(([a]) => a), t)}, second ${count(second, t)})`);
  }
  console.log(`theme micro-F1 of the second reader against the first: ${prf.micro.f1.toFixed(3)}`);
  if (process.argv.includes('--model')) {
    // The fold models are trained first (in worker threads), then crossValidate scores each sentence with its fold's, as npm run train does.
    const corpus = await loadLabelledCorpus();
    const folds = groupedFolds(corpus.map((s) => s.authority), 5, 2026);
    const foldModels = [];
    for (let f = 0; f < 5; f++) foldModels.push(await trainModelInWorkers(corpus.filter((_, i) => folds[i] !== f)));
    const predictions = crossValidate(corpus, { folds: 5, seed: 2026, makeClassifier: (_train, f) => createClassifier({ model: foldModels[f] }) });
    const at = new Map(corpus.map((s, i) => [`${s.doc}#${s.sentence}`, i]));
    const model = second.map((b) => predictions[at.get(`${b.doc}#${b.sentence}`)].themes);
    const vsFirst = multiLabelPRF(pairs.map(([a]) => a.themes), model, CORE_THEMES);
    const vsSecond = multiLabelPRF(second.map((b) => b.themes), model, CORE_THEMES);
    console.log('out-of-fold classifier (rules + model) on the same sentences, F1:');
    for (const t of CORE_THEMES) console.log(`  ${t.padEnd(13)} against the first reader ${vsFirst.perLabel[t].f1.toFixed(3)}, against the second ${vsSecond.perLabel[t].f1.toFixed(3)}`);
  }
}
