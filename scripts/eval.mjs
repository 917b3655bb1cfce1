#!/usr/bin/env node
// npm run eval — how good is ofsted-findings, honestly, beside what a user would otherwise pick.
//
// Protocol: grouped 5-fold cross-validation by local authority (seed 2026): no authority is on
// both sides of a fold; seeds are grouped by their authority. Scores on all annotations and on
// the random sample alone. Same seed → same folds → same numbers (timings aside).
// Systems: majority class, keyword matching, rules only, model only, rules + model (shipped),
// natural's BayesClassifier (all folds) and LogisticRegressionClassifier (documented subset),
// and for polarity sentiment (AFINN), vader-sentiment and wink-sentiment.
// Outputs: reports/eval.json, reports/eval.md, reports/eval.html, reports/errors.jsonl.
// Usage: npm run eval [-- --check] [-- --quick]
//   --check  exit 1 when a score falls below scripts/eval-floors.json
//   --quick  skip natural's logistic regression and the report-level study
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  CORE_THEMES, POLARITIES, areaOf, binaryPRF, brierScore, createClassifier, createRuleClassifier, crossValidate, groupBootstrap, groupedFolds, loadLabelledCorpus,
  loadSharedDocument, multiClassReport, multiLabelPRF, packageRoot, prf, readManifest, reliabilityCurve, sharedCorpusDir, sharedCorpusMissing, spearman, trainModelInWorkers,
} from 'ofsted-findings/node';

const require = createRequire(import.meta.url);
const root = packageRoot();
const outDir = join(root, 'reports');
const CHECK = process.argv.includes('--check');
const QUICK = process.argv.includes('--quick');
const SEED = 2026;
const FOLDS = 5;
const started = performance.now();

// ---------------------------------------------------------------- progress on stderr
function progress(label, done, total) {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0);
  if (process.stderr.isTTY) {
    const w = 24, f = total ? Math.round((done / total) * w) : w;
    process.stderr.write(`\r[${'#'.repeat(f)}${'.'.repeat(w - f)}] ${label.padEnd(48).slice(0, 48)} ${elapsed}s`);
    if (done === total) process.stderr.write('\n');
  } else if (done === total || done === 0) {
    process.stderr.write(`[eval ${elapsed}s] ${label}${total ? ` ${done}/${total}` : ''}\n`);
  }
}

const missing = sharedCorpusMissing();
if (missing) console.error(`eval: ${missing}; evaluating on the seed annotations only`);
progress('joining the labelled corpus', 0, 1);
const corpus = await loadLabelledCorpus();
progress('joining the labelled corpus', 1, 1);
const opts = (s) => ({ ...(s.section !== undefined ? { section: s.section } : {}), ...(s.kind !== undefined ? { kind: s.kind } : {}) });
const folds = groupedFolds(corpus.map((s) => s.authority), FOLDS, SEED);

// ---------------------------------------------------------------- systems
/** A system gives, for each sentence, { isFinding?, themes?, themeScores?, polarity?, polarityScores? } and a speed. */
const systems = {};

/**
 * Each fold's model, trained on the fold's training side with trainModelInWorkers (the same model
 * trainModel gives, in less wall time). The training side is exactly the one crossValidate hands to
 * makeClassifier: the sentences of the other folds, in corpus order.
 */
async function trainFoldModels(name, options) {
  const models = [];
  let seconds = 0;
  for (let f = 0; f < FOLDS; f++) {
    progress(`${name}: training fold ${f + 1}/${FOLDS}`, f, FOLDS);
    const t = performance.now();
    models.push(await trainModelInWorkers(corpus.filter((_, i) => folds[i] !== f), options));
    seconds += (performance.now() - t) / 1000;
  }
  return { models, seconds };
}

function runCV(name, models, trainSeconds) {
  let done = 0;
  const predictions = crossValidate(corpus, {
    folds: FOLDS, seed: SEED,
    makeClassifier: (_train, f) => createClassifier({ model: models[f] }),
    onFold: () => progress(`${name}: fold ${done + 1}/${FOLDS}`, done++, FOLDS),
  });
  progress(`${name}: cross-validated`, FOLDS, FOLDS);
  return { predictions, trainSeconds };
}

const foldModels = new Map();
const shippedModels = await trainFoldModels('rules + model', {});
const shipped = runCV('rules + model', shippedModels.models, shippedModels.seconds);
// The same fold models, reused for the speed, calibration and report-level sections below.
shippedModels.models.forEach((m, f) => foldModels.set(f, createClassifier({ model: m })));
systems['rules + model'] = { ...shipped, kind: 'all' };
const modelOnly = await trainFoldModels('model only', { features: { rules: false } });
systems['model only'] = { ...runCV('model only', modelOnly.models, modelOnly.seconds), kind: 'all' };
const rules = createRuleClassifier();
systems['rules only'] = { predictions: corpus.map((s) => { const r = rules.classify(s.text, opts(s)); return { isFinding: r.isFinding, themes: r.themes.map((t) => t.theme), themeScores: Object.fromEntries(r.themes.map((t) => [t.theme, t.score])), polarity: r.polarity, polarityScores: r.polarityScores }; }), kind: 'all' };

// Majority class, from each fold's training side.
systems['majority class'] = {
  kind: 'all',
  predictions: corpus.map((_, i) => {
    const train = corpus.filter((_, j) => folds[j] !== folds[i]);
    return majorityCache(folds[i], train);
  }),
};
function majorityCache(fold, train) {
  majorityCache.memo ??= new Map();
  if (!majorityCache.memo.has(fold)) {
    const count = (f) => train.reduce((m, s) => (m.set(f(s), (m.get(f(s)) ?? 0) + 1), m), new Map());
    const top = (m) => [...m].sort((a, b) => b[1] - a[1])[0][0];
    majorityCache.memo.set(fold, { isFinding: top(count((s) => s.finding)), themes: [], polarity: top(count((s) => s.polarity)) });
  }
  return majorityCache.memo.get(fold);
}

// Keyword matching: one keyword expression per theme, as an analyst would first try.
const KEYWORDS = {
  thresholds: /threshold/i,
  supervision: /supervis|oversight/i,
  recording: /record/i,
  workforce: /workforce|caseload|recruit|staff|turnover|training/i,
  'multi-agency': /multi-?agency|partner|police|health|school/i,
};
systems['keyword matching'] = { kind: 'themes', predictions: corpus.map((s) => ({ themes: CORE_THEMES.filter((t) => KEYWORDS[t].test(s.text)) })) };

// General-purpose sentiment, mapped to positive / negative / neutral (they cannot say mixed).
const Sentiment = require('sentiment');
const afinn = new Sentiment();
const vader = require('vader-sentiment').SentimentIntensityAnalyzer;
const wink = require('wink-sentiment');
const sign = (x, t) => (x > t ? 'positive' : x < -t ? 'negative' : 'neutral');
const sentimentSystems = {
  'sentiment (AFINN)': (text) => sign(afinn.analyze(text).comparative, 0),
  'vader-sentiment': (text) => sign(vader.polarity_scores(text).compound, 0.05),
  'wink-sentiment': (text) => sign(wink(text).normalizedScore, 0),
};
for (const [name, fn] of Object.entries(sentimentSystems)) systems[name] = { kind: 'polarity', predictions: corpus.map((s) => ({ polarity: fn(s.text) })) };

// natural's classifiers (submodule import: natural's top level loads dotenv, which prints).
const { BayesClassifier, LogisticRegressionClassifier } = require('natural/lib/natural/classifiers');
// natural's classifiers build a dense vector over the whole vocabulary for every document, so
// training on ~9,000 sentences takes far too long: each fold trains on a seeded sample of
// BAYES_TRAIN sentences of its training side, and is tested on the whole of its test side.
const BAYES_TRAIN = 1000;
const seededSample = (rows, k, seed) => {
  let a = seed | 0;
  const rand = () => { a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const copy = [...rows];
  for (let i = copy.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [copy[i], copy[j]] = [copy[j], copy[i]]; }
  return copy.slice(0, k);
};
{
  const predictions = new Array(corpus.length);
  const t0 = performance.now();
  for (let f = 0; f < FOLDS; f++) {
    progress(`natural Bayes: fold ${f + 1}/${FOLDS}`, f, FOLDS);
    const train = seededSample(corpus.filter((_, i) => folds[i] !== f), BAYES_TRAIN, SEED + f);
    const polarity = new BayesClassifier();
    const finding = new BayesClassifier();
    const themes = Object.fromEntries(CORE_THEMES.map((t) => [t, new BayesClassifier()]));
    for (const s of train) {
      polarity.addDocument(s.text, s.polarity);
      finding.addDocument(s.text, String(s.finding));
      for (const t of CORE_THEMES) themes[t].addDocument(s.text, s.themes.includes(t) ? 'yes' : 'no');
    }
    polarity.train(); finding.train();
    for (const t of CORE_THEMES) themes[t].train();
    corpus.forEach((s, i) => {
      if (folds[i] !== f) return;
      predictions[i] = { isFinding: finding.classify(s.text) === 'true', polarity: polarity.classify(s.text), themes: CORE_THEMES.filter((t) => themes[t].classify(s.text) === 'yes') };
    });
  }
  progress('natural Bayes: cross-validated', FOLDS, FOLDS);
  systems['natural BayesClassifier'] = { kind: 'all', predictions, trainSeconds: (performance.now() - t0) / 1000, subset: `each fold trained on a seeded sample of ${BAYES_TRAIN} sentences of its training side (dense features make the full side too slow), tested on its whole test side; time includes testing` };
}
let lrSubset;
if (!QUICK) {
  // natural's logistic regression is too slow for the whole corpus: polarity only, trained on
  // 600 sentences drawn (seeded) from fold 1's training side, tested on all of fold 1's test side.
  const picked = seededSample(corpus.filter((_, i) => folds[i] !== 0), 600, SEED);
  progress(`natural LogisticRegression: training on ${picked.length} sentences`, 0, 1);
  const lr = new LogisticRegressionClassifier();
  for (const s of picked) lr.addDocument(s.text, s.polarity);
  const t0 = performance.now();
  lr.train();
  const trainSeconds = (performance.now() - t0) / 1000;
  const test = corpus.map((s, i) => [s, i]).filter(([, i]) => folds[i] === 0);
  const predictions = new Array(corpus.length).fill(undefined);
  for (const [s, i] of test) predictions[i] = { polarity: lr.classify(s.text) };
  progress('natural LogisticRegression: done', 1, 1);
  systems['natural LogisticRegression'] = { kind: 'polarity', predictions, trainSeconds, subset: `polarity only; trained on ${picked.length} sentences of fold 1's training side, tested on fold 1's ${test.length} test sentences` };
  lrSubset = systems['natural LogisticRegression'].subset;
}

// ---------------------------------------------------------------- speed, same sentences, same run
const speedSentences = corpus.slice(0, 3000).map((s) => s.text);
const speedOf = (fn) => {
  for (const t of speedSentences.slice(0, 200)) fn(t); // warm up
  const t0 = performance.now();
  for (const t of speedSentences) fn(t);
  return speedSentences.length / ((performance.now() - t0) / 1000);
};
const speed = {
  'rules + model': speedOf((t) => foldModels.get(0).classify(t)),
  'rules only': speedOf((t) => rules.classify(t)),
  'keyword matching': speedOf((t) => CORE_THEMES.filter((k) => KEYWORDS[k].test(t))),
  'sentiment (AFINN)': speedOf((t) => afinn.analyze(t)),
  'vader-sentiment': speedOf((t) => vader.polarity_scores(t)),
  'wink-sentiment': speedOf((t) => wink(t)),
};

// ---------------------------------------------------------------- metrics
function score(name, system, subset) {
  const idx = corpus.map((_, i) => i).filter((i) => system.predictions[i] !== undefined && subset(corpus[i]));
  const gold = idx.map((i) => corpus[i]);
  const pred = idx.map((i) => system.predictions[i]);
  const out = { n: idx.length };
  if (system.kind === 'all') out.finding = binaryPRF(gold.map((s) => s.finding), pred.map((p) => p.isFinding));
  if (system.kind === 'all' || system.kind === 'themes') {
    out.themes = multiLabelPRF(gold.map((s) => s.themes), pred.map((p) => p.themes ?? []), CORE_THEMES);
  }
  if (system.kind === 'all' || system.kind === 'polarity') {
    out.polarity = multiClassReport(gold.map((s) => s.polarity), pred.map((p) => p.polarity), POLARITIES);
    out.polarityFindings = multiClassReport(gold.filter((s) => s.finding).map((s) => s.polarity), pred.filter((_, k) => gold[k].finding).map((p) => p.polarity), POLARITIES);
    const negatives = gold.map((s, k) => [s, pred[k]]).filter(([s]) => s.polarity === 'negative');
    out.negativeRecall = negatives.filter(([, p]) => p.polarity === 'negative').length / Math.max(1, negatives.length);
  }
  if (pred.every((p) => p.themeScores && p.polarityScores)) {
    out.calibration = {
      themes: Object.fromEntries(CORE_THEMES.map((t) => {
        const probs = pred.map((p) => p.themeScores[t] ?? 0);
        const outcomes = gold.map((s) => s.themes.includes(t));
        return [t, { brier: brierScore(probs, outcomes), reliability: reliabilityCurve(probs, outcomes) }];
      })),
      polarity: Object.fromEntries(POLARITIES.map((c) => {
        const probs = pred.map((p) => p.polarityScores[c]);
        const outcomes = gold.map((s) => s.polarity === c);
        return [c, { brier: brierScore(probs, outcomes), reliability: reliabilityCurve(probs, outcomes) }];
      })),
    };
  }
  if (system.trainSeconds !== undefined) out.trainSeconds = system.trainSeconds;
  if (system.subset) out.subset = system.subset;
  if (speed[name]) out.sentencesPerSecond = speed[name];
  return out;
}
const results = { all: {}, random: {} };
for (const [name, system] of Object.entries(systems)) {
  results.all[name] = score(name, system, () => true);
  results.random[name] = score(name, system, (s) => s.sample === 'random');
}

// ---------------------------------------------------------------- uncertainty: whole authorities resampled
// 95% percentile intervals over 1,000 resamples of the authorities (groupBootstrap), for the shipped
// classifier and for its differences from model only and rules only on the same resamples (paired).
// Per-sentence counts make each resample's statistic a few sums; the full-corpus values are checked
// against the scores above, so the intervals are about exactly those figures.
const INTERVAL_SYSTEMS = ['rules + model', 'model only', 'rules only'];
const sentenceCounts = (name) => {
  const predictions = systems[name].predictions;
  const n = corpus.length;
  const make = () => ({ tp: new Int32Array(n), fp: new Int32Array(n), fn: new Int32Array(n) });
  const themes = make(), thresholds = make(), correct = new Int32Array(n);
  const classes = POLARITIES.map(make);
  corpus.forEach((s, i) => {
    const p = predictions[i];
    for (const t of CORE_THEMES) {
      const g = s.themes.includes(t), q = p.themes.includes(t);
      for (const c of t === 'thresholds' ? [themes, thresholds] : [themes]) {
        if (g && q) c.tp[i]++;
        else if (q) c.fp[i]++;
        else if (g) c.fn[i]++;
      }
    }
    if (p.polarity === s.polarity) correct[i] = 1;
    POLARITIES.forEach((c, k) => {
      if (s.polarity === c && p.polarity === c) classes[k].tp[i] = 1;
      else if (p.polarity === c) classes[k].fp[i] = 1;
      else if (s.polarity === c) classes[k].fn[i] = 1;
    });
  });
  return { themes, thresholds, correct, classes };
};
const sumOver = (values, indices) => {
  let sum = 0;
  for (const i of indices) sum += values[i];
  return sum;
};
const f1Over = (c, indices) => prf(sumOver(c.tp, indices), sumOver(c.fp, indices), sumOver(c.fn, indices)).f1;
const STATISTICS = {
  'theme micro-F1': (c, idx) => f1Over(c.themes, idx),
  'thresholds F1': (c, idx) => f1Over(c.thresholds, idx),
  'polarity accuracy': (c, idx) => sumOver(c.correct, idx) / idx.length,
  'polarity macro-F1': (c, idx) => c.classes.reduce((sum, k) => sum + f1Over(k, idx), 0) / c.classes.length,
};
const reported = {
  'theme micro-F1': (r) => r.themes.micro.f1,
  'thresholds F1': (r) => r.themes.perLabel.thresholds.f1,
  'polarity accuracy': (r) => r.polarity.accuracy,
  'polarity macro-F1': (r) => r.polarity.macroF1,
};
const countsOf = Object.fromEntries(INTERVAL_SYSTEMS.map((name) => [name, sentenceCounts(name)]));
const authorities = corpus.map((s) => s.authority);
const allSentences = corpus.map((_, i) => i);
const shippedCounts = countsOf['rules + model'];
const bootstrapOptions = { samples: 1000, seed: SEED, level: 0.95 };
const interval = (statistic) => groupBootstrap(authorities, statistic, bootstrapOptions);
const intervals = { ...bootstrapOptions, scores: {}, differences: {} };
for (const [metric, statistic] of Object.entries(STATISTICS)) {
  for (const name of INTERVAL_SYSTEMS) {
    const value = statistic(countsOf[name], allSentences);
    if (!(Math.abs(value - reported[metric](results.all[name])) <= 1e-12)) throw new Error(`eval: ${name} ${metric} from per-sentence counts (${value}) differs from the score (${reported[metric](results.all[name])})`);
  }
  intervals.scores[metric] = interval((idx) => statistic(shippedCounts, idx));
  for (const other of INTERVAL_SYSTEMS.slice(1)) {
    intervals.differences[`${metric}: rules + model − ${other}`] = interval((idx) => statistic(shippedCounts, idx) - statistic(countsOf[other], idx));
  }
}
results.intervals = intervals;

// ---------------------------------------------------------------- report level: negative share vs Ofsted's grades
const GRADE_RANK = { outstanding: 1, good: 2, 'requires improvement': 3, inadequate: 4 };
let reportLevel;
if (!QUICK && !missing) {
  const manifest = readManifest().filter((e) => Object.keys(e.grades).length > 0);
  const foldOfAuthority = new Map(corpus.map((s, i) => [s.authority, folds[i]]));
  const rows = [];
  let done = 0;
  for (const e of manifest) {
    progress('report level: classifying shared reports', done++, manifest.length);
    const doc = await loadSharedDocument(sharedCorpusDir(), e.id);
    // The fold model that never saw this authority (each authority is on one test side).
    const classifier = foldModels.get(foldOfAuthority.get(e.authority.replace(/ /g, '-')) ?? foldOfAuthority.get(doc.id.replace(/-\d{4}-\d{2}-\d{2}$/, '')) ?? 0);
    const results = classifier.classifyMany(doc.sentences.map((s) => ({ text: s.text, ...(s.section !== undefined ? { section: s.section } : {}), kind: s.kind })));
    const byArea = {};
    let findings = 0, negatives = 0, vaderSum = 0, afinnSum = 0;
    doc.sentences.forEach((s, i) => {
      const r = results[i];
      vaderSum += vader.polarity_scores(s.text).compound;
      afinnSum += afinn.analyze(s.text).comparative;
      if (!r.isFinding) return;
      findings++;
      if (r.polarity === 'negative') negatives++;
      const area = s.sectionPath.map((h) => areaOf(h)).find(Boolean);
      if (area) {
        byArea[area] ??= { findings: 0, negatives: 0 };
        byArea[area].findings++;
        if (r.polarity === 'negative') byArea[area].negatives++;
      }
    });
    rows.push({ id: e.id, year: e.published.slice(0, 4), grades: e.grades, negativeShare: negatives / Math.max(1, findings), meanVader: vaderSum / Math.max(1, doc.sentences.length), meanAfinn: afinnSum / Math.max(1, doc.sentences.length), byArea: Object.fromEntries(Object.entries(byArea).map(([a, v]) => [a, v.negatives / Math.max(1, v.findings)])) });
  }
  progress('report level: classified shared reports', manifest.length, manifest.length);
  const rho = (rs, area, stat) => {
    const pairs = rs.filter((r) => r.grades[area] && GRADE_RANK[r.grades[area]] !== undefined && stat(r) !== undefined);
    return { n: pairs.length, rho: spearman(pairs.map((r) => GRADE_RANK[r.grades[area]]), pairs.map(stat)) };
  };
  const areas = ['overall_effectiveness', 'impact_of_leaders', 'help_and_protection', 'children_in_care', 'care_leavers'];
  const statistics = {
    'negative finding share (ofsted-findings)': (r) => r.negativeShare,
    'mean VADER compound (negated)': (r) => -r.meanVader,
    'mean AFINN comparative (negated)': (r) => -r.meanAfinn,
  };
  const table = {};
  for (const [name, stat] of Object.entries(statistics)) table[name] = Object.fromEntries(areas.map((a) => [a, rho(rows, a, stat)]));
  table['section negative share (ofsted-findings)'] = Object.fromEntries(areas.map((a) => [a, rho(rows, a, (r) => r.byArea[a])]));
  const years = [...new Set(rows.map((r) => r.year))].sort();
  const byYear = Object.fromEntries(years.map((y) => [y, Object.fromEntries(Object.entries(statistics).map(([name, stat]) => [name, rho(rows.filter((r) => r.year === y), 'overall_effectiveness', stat)]))]));
  reportLevel = { note: 'Spearman ρ between Ofsted grade rank (1 outstanding … 4 inadequate) and the statistic; higher is better. Sentiment means are negated so that all statistics point the same way. Each report is classified by the fold model that never saw its authority.', table, byYear, reports: rows.map(({ id, year, grades, negativeShare, meanVader, meanAfinn }) => ({ id, year, grades, negativeShare, meanVader, meanAfinn })) };
}

// ---------------------------------------------------------------- outputs
mkdirSync(outDir, { recursive: true });
const errors = [];
corpus.forEach((s, i) => {
  const p = systems['rules + model'].predictions[i];
  if (p.isFinding !== s.finding || p.polarity !== s.polarity || p.themes.join() !== s.themes.join()) {
    const r = foldModels.get(folds[i]).classify(s.text, opts(s));
    errors.push({ doc: s.doc, sentence: s.sentence, sample: s.sample, text: s.text, section: s.section, gold: { finding: s.finding, themes: s.themes, polarity: s.polarity }, predicted: { finding: r.isFinding, themes: r.themes.map((t) => t.theme), polarity: r.polarity, polarityScores: r.polarityScores }, evidence: r.evidence });
  }
});
writeFileSync(join(outDir, 'errors.jsonl'), errors.map((e) => JSON.stringify(e)).join('\n') + '\n');
const meta = { seed: SEED, folds: FOLDS, sentences: corpus.length, random: corpus.filter((s) => s.sample === 'random').length, authorities: new Set(corpus.map((s) => s.authority)).size, natural_logistic_regression_subset: lrSubset ?? 'skipped (--quick)', seconds: (performance.now() - started) / 1000 };
writeFileSync(join(outDir, 'eval.json'), JSON.stringify({ meta, results, reportLevel }, null, 2));

const f3 = (x) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(3));
const md = [];
md.push('# ofsted-findings evaluation', '');
md.push(`Grouped ${FOLDS}-fold cross-validation by local authority (seed ${SEED}) over ${meta.sentences} labelled sentences from ${meta.authorities} authorities (${meta.random} in the random sample). Generated by \`npm run eval\`; speeds are from the same run on the same ${speedSentences.length} sentences.`, '');
for (const [label, res] of [['All annotations', results.all], ['Random sample only', results.random]]) {
  md.push(`## ${label}`, '');
  md.push('| system | finding F1 | theme micro-F1 | theme macro-F1 | ' + CORE_THEMES.map((t) => `${t} F1`).join(' | ') + ' | polarity acc. | polarity macro-F1 | negative recall | sentences/s |');
  md.push('|---|' + '---:|'.repeat(8 + CORE_THEMES.length - 1));
  for (const [name, r] of Object.entries(res)) {
    md.push(`| ${name} | ${f3(r.finding?.f1)} | ${f3(r.themes?.micro.f1)} | ${f3(r.themes?.macroF1)} | ${CORE_THEMES.map((t) => f3(r.themes?.perLabel[t].f1)).join(' | ')} | ${f3(r.polarity?.accuracy)} | ${f3(r.polarity?.macroF1)} | ${f3(r.negativeRecall)} | ${r.sentencesPerSecond ? Math.round(r.sentencesPerSecond).toLocaleString('en-GB') : '—'} |`);
  }
  md.push('');
}
const s = results.all['rules + model'];
md.push('## Shipped classifier (rules + model) in detail', '');
md.push('| theme | precision | recall | F1 | support | Brier |', '|---|---:|---:|---:|---:|---:|');
for (const t of CORE_THEMES) md.push(`| ${t} | ${f3(s.themes.perLabel[t].precision)} | ${f3(s.themes.perLabel[t].recall)} | ${f3(s.themes.perLabel[t].f1)} | ${s.themes.perLabel[t].support} | ${f3(s.calibration?.themes[t].brier)} |`);
md.push('', '| polarity | precision | recall | F1 | support | Brier |', '|---|---:|---:|---:|---:|---:|');
for (const c of POLARITIES) md.push(`| ${c} | ${f3(s.polarity.perClass[c].precision)} | ${f3(s.polarity.perClass[c].recall)} | ${f3(s.polarity.perClass[c].f1)} | ${s.polarity.perClass[c].support} | ${f3(s.calibration?.polarity[c].brier)} |`);
md.push('', 'Confusion matrix (rows gold, columns predicted):', '', `| gold \\ predicted | ${POLARITIES.join(' | ')} |`, `|---|${POLARITIES.map(() => '---:').join('|')}|`);
for (const g of POLARITIES) md.push(`| ${g} | ${POLARITIES.map((p) => s.polarity.confusion[g][p]).join(' | ')} |`);
md.push('', `Finding detection: precision ${f3(s.finding.precision)}, recall ${f3(s.finding.recall)}, F1 ${f3(s.finding.f1)}.`, '');
md.push('## Uncertainty', '', `${Math.round(intervals.level * 100)}% intervals from ${intervals.samples.toLocaleString('en-GB')} resamples of the ${meta.authorities} authorities with replacement (each authority's sentences kept together, as in the folds; seed ${intervals.seed}). Differences are paired: both systems are scored on the same resamples.`, '');
md.push(`| rules + model | score | ${Math.round(intervals.level * 100)}% interval |`, '|---|---:|---|');
for (const [metric, iv] of Object.entries(intervals.scores)) md.push(`| ${metric} | ${f3(iv.estimate)} | ${f3(iv.low)} to ${f3(iv.high)} |`);
md.push('', `| difference | value | ${Math.round(intervals.level * 100)}% interval |`, '|---|---:|---|');
const signed = (x) => (x >= 0 ? '+' : '−') + f3(Math.abs(x));
for (const [label, iv] of Object.entries(intervals.differences)) md.push(`| ${label} | ${signed(iv.estimate)} | ${signed(iv.low)} to ${signed(iv.high)} |`);
md.push('');
md.push('## Training time', '', 'Wall time on this machine. The two trained systems train each fold with `trainModelInWorkers` (its fits in worker threads; the same model as `trainModel`).', '');
for (const [name, r] of Object.entries(results.all)) if (r.trainSeconds !== undefined) md.push(`- ${name}: ${r.trainSeconds.toFixed(1)} s${r.subset ? ` (${r.subset})` : ' over all folds'}`);
md.push('');
if (reportLevel) {
  md.push('## Report level: share of negative findings against Ofsted\'s grades', '', reportLevel.note, '');
  const areas = Object.keys(Object.values(reportLevel.table)[0]);
  md.push(`| statistic | ${areas.map((a) => a.replace(/_/g, ' ')).join(' | ')} |`, `|---|${areas.map(() => '---:').join('|')}|`);
  for (const [name, row] of Object.entries(reportLevel.table)) md.push(`| ${name} | ${areas.map((a) => `${f3(row[a].rho)} (n=${row[a].n})`).join(' | ')} |`);
  md.push('', 'By year (overall effectiveness):', '', `| year | ${Object.keys(Object.values(reportLevel.byYear)[0]).join(' | ')} |`, `|---|${Object.keys(Object.values(reportLevel.byYear)[0]).map(() => '---:').join('|')}|`);
  for (const [y, row] of Object.entries(reportLevel.byYear)) md.push(`| ${y} | ${Object.values(row).map((v) => `${f3(v.rho)} (n=${v.n})`).join(' | ')} |`);
  md.push('');
}
md.push(`Total run time ${meta.seconds.toFixed(0)} s. Misclassified sentences with their evidence: \`reports/errors.jsonl\` (${errors.length}; not committed, it holds report text).`, '');
writeFileSync(join(outDir, 'eval.md'), md.join('\n'));
const { renderEvalHtml } = await import('./eval-html.mjs');
writeFileSync(join(outDir, 'eval.html'), renderEvalHtml({ meta, results, reportLevel, themes: CORE_THEMES, polarities: POLARITIES }));
console.log(md.join('\n'));

// ---------------------------------------------------------------- --check against committed floors
if (CHECK) {
  const floors = JSON.parse(readFileSync(join(root, 'scripts', 'eval-floors.json'), 'utf8'));
  const failures = [];
  for (const [system, metrics] of Object.entries(floors.systems)) {
    const r = results.all[system];
    for (const [path, floor] of Object.entries(metrics)) {
      const value = path.split('.').reduce((o, k) => o?.[k], r);
      if (!(value >= floor)) failures.push(`${system} ${path} = ${f3(value)} < floor ${floor}`);
    }
  }
  if (failures.length > 0) {
    console.error(`eval --check failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.error('eval --check passed: every score is at or above its floor in scripts/eval-floors.json');
}
