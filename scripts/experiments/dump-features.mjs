#!/usr/bin/env node
// Writes every labelled sentence's named features (sentenceFeatures, exactly what `npm run train` learns
// from), its labels, its authority's grouped fold (5 folds, seed 2026, as npm run eval) and its word forms,
// one JSON object per line, for experiments with other learners (scripts/experiments/feature-ceiling.py).
// The file holds sentence text from the shared reports: it is written outside the repository by default
// and must never be committed.
// Usage: node scripts/experiments/dump-features.mjs [OUT]   (default: $TMPDIR/ofsted-findings-features.jsonl)
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupedFolds, loadLabelledCorpus, sentenceFeatures, tokenize } from 'ofsted-findings/node';

const out = process.argv[2] ?? join(tmpdir(), 'ofsted-findings-features.jsonl');
const corpus = await loadLabelledCorpus();
const folds = groupedFolds(corpus.map((s) => s.authority), 5, 2026);
const file = createWriteStream(out);
corpus.forEach((s, i) => {
  const options = { ...(s.section !== undefined ? { section: s.section } : {}), ...(s.kind !== undefined ? { kind: s.kind } : {}) };
  const tokens = tokenize(s.text);
  file.write(
    JSON.stringify({
      authority: s.authority,
      fold: folds[i],
      sample: s.sample,
      finding: s.finding,
      themes: s.themes,
      polarity: s.polarity,
      text: s.text,
      features: Object.fromEntries(sentenceFeatures(s.text, options)),
      // Word forms: stems (numbers as "#", punctuation as itself) for n-grams, lowercase words for embeddings.
      stems: tokens.map((t) => (t.kind === 'number' ? '#' : t.stem)),
      words: tokens.map((t) => t.norm),
    }) + '\n',
  );
});
file.end();
await new Promise((resolve) => file.on('finish', resolve));
console.error(`${corpus.length} sentences → ${out}`);
