#!/usr/bin/env node
// Train the bundled model from the labelled corpus and write models/ofsted-findings.model.json.
// The file records the grouped 5-fold cross-validation metrics (by authority) of the same
// training procedure. Deterministic: the same corpus gives a byte-identical file.
// Usage: npm run train [-- --out FILE] [-- --no-cv]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORE_THEMES, POLARITIES, binaryPRF, createClassifier, crossValidate, loadLabelledCorpus, multiClassReport, multiLabelPRF, packageRoot, trainModel,
} from 'ofsted-findings/node';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out', join(packageRoot(), 'models', 'ofsted-findings.model.json'));
const started = performance.now();
const log = (m) => console.error(`[train ${((performance.now() - started) / 1000).toFixed(1)}s] ${m}`);

const corpus = await loadLabelledCorpus({ onProgress: (d, n) => { if (d === n) log(`joined ${n} shared reports`); } });
log(`${corpus.length} labelled sentences from ${new Set(corpus.map((s) => s.authority)).size} authorities`);

let metrics = {};
if (!process.argv.includes('--no-cv')) {
  const predictions = crossValidate(corpus, {
    folds: 5,
    seed: 2026,
    makeClassifier: (train) => createClassifier({ model: trainModel(train) }),
    onFold: (f, a, b) => log(`fold ${f + 1}/5: train ${a}, test ${b}`),
  });
  const finding = binaryPRF(corpus.map((s) => s.finding), predictions.map((p) => p.isFinding));
  const themes = multiLabelPRF(corpus.map((s) => s.themes), predictions.map((p) => p.themes), CORE_THEMES);
  const polarity = multiClassReport(corpus.map((s) => s.polarity), predictions.map((p) => p.polarity), POLARITIES);
  metrics = {
    'cv.folds': 5,
    'finding.f1': finding.f1,
    'themes.microF1': themes.micro.f1,
    'themes.macroF1': themes.macroF1,
    ...Object.fromEntries(CORE_THEMES.map((t) => [`themes.${t}.f1`, themes.perLabel[t].f1])),
    'polarity.accuracy': polarity.accuracy,
    'polarity.macroF1': polarity.macroF1,
  };
  log(`cv: finding F1 ${finding.f1.toFixed(3)}, themes micro-F1 ${themes.micro.f1.toFixed(3)} macro-F1 ${themes.macroF1.toFixed(3)}, polarity accuracy ${polarity.accuracy.toFixed(3)} macro-F1 ${polarity.macroF1.toFixed(3)}`);
}
const model = trainModel(corpus, { metrics });
const json = JSON.stringify(model);
writeFileSync(out, json);
log(`wrote ${out} (${(json.length / 1024).toFixed(0)} KB, ${model.vocabulary.length} features, checksum ${model.checksum})`);
