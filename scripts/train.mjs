#!/usr/bin/env node
// Train the bundled model from the labelled corpus and write models/ofsted-findings.model.json.
// The file records the grouped 5-fold cross-validation metrics (by authority) of the same
// training procedure. Deterministic: the same corpus gives a byte-identical file.
// Usage: npm run train [-- --out FILE] [-- --no-cv] [-- --jobs N]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORE_THEMES, POLARITIES, binaryPRF, createClassifier, crossValidate, groupedFolds, loadLabelledCorpus, multiClassReport, multiLabelPRF, packageRoot, trainModel, trainModelInWorkers,
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
  // Each fold's model trains on exactly the training side crossValidate would hand over (other folds, corpus order).
  const folds = groupedFolds(corpus.map((s) => s.authority), 5, 2026);
  const foldModels = [];
  for (let f = 0; f < 5; f++) {
    const train = corpus.filter((_, i) => folds[i] !== f);
    log(`fold ${f + 1}/5: train ${train.length}, test ${corpus.length - train.length}`);
    foldModels.push(await trainModelInWorkers(train));
  }
  const predictions = crossValidate(corpus, { folds: 5, seed: 2026, makeClassifier: (_train, f) => createClassifier({ model: foldModels[f] }) });
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
// The final model: its fits run in worker threads (--jobs N; 1 = in this thread). Either way the file is byte-identical.
const jobs = Number(arg('jobs', '0')) || undefined;
const trainStarted = performance.now();
const model = jobs === 1 ? trainModel(corpus, { metrics }) : await trainModelInWorkers(corpus, { metrics, ...(jobs ? { jobs } : {}) });
log(`trained the model on ${corpus.length} sentences in ${((performance.now() - trainStarted) / 1000).toFixed(1)} s`);
const json = JSON.stringify(model);
writeFileSync(out, json);
log(`wrote ${out} (${(json.length / 1024).toFixed(0)} KB, ${model.vocabulary.length} features, checksum ${model.checksum})`);
