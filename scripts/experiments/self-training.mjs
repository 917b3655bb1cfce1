#!/usr/bin/env node
// Experiment (not part of training): does self-training on the unlabelled shared sentences help?
// The issue allows weak supervision over the unlabelled text if grouped cross-validation shows it helps.
//
// Grouped 5-fold CV by authority (seed 2026, as npm run eval). In each fold:
//   1. train the baseline model on the fold's labelled training side (trainModelInWorkers, defaults);
//   2. label the unlabelled sentences of the training side's authorities only (never a test authority,
//      never a labelled or rule-development sentence) with the fold's own rules + model, keeping those
//      it is confident about: the probability of the polarity it gives >= conf, and every theme
//      probability >= conf or <= 1 - conf, agreeing with the themes it tags;
//   3. retrain on the labelled side plus up to `cap` of them (seeded shuffle), and score both models
//      on the fold's test side (human labels only).
// Measured 2026-11-24 on 40,647 labelled sentences with the defaults (conf 0.9, cap 20,000, training
// defaults; about 43,000 confident sentences per fold, under 2% of them thresholds): theme micro-F1
// 0.8375 -> 0.8351, thresholds 0.7786 -> 0.7764, polarity accuracy 0.9057 -> 0.9046; random sample alone:
// themes 0.8263 -> 0.8253, polarity 0.9100 -> 0.9088. No gain, at twice the training time, so training
// does not use it.
//
// With "labeller": "rules", the labeller is the rule packs alone (createRuleClassifier: rules as labelling
// functions, their cues combined by the packs' own weights; there is no separate label model as Snorkel
// would fit), under the same confidence test. Measured 2026-11-24 (7 min): theme micro-F1 0.8375 -> 0.8248,
// polarity accuracy 0.9057 -> 0.8993; 13.7% of the findings the packs label confidently carry a theme,
// against 37.4% of labelled findings. Not used either.
// Usage: node scripts/experiments/self-training.mjs ['{"conf":0.9,"cap":20000,"labeller":"model"|"rules","train":{...trainModel options}}']
//   (about 7 minutes on 2 cores)
const opt = { conf: 0.9, cap: 20000, labeller: 'model', train: {}, ...JSON.parse(process.argv[2] ?? '{}') };
if (opt.labeller !== 'model' && opt.labeller !== 'rules') throw new TypeError('labeller must be "model" or "rules"');
const lib = await import('ofsted-findings/node');
const { CORE_THEMES, POLARITIES, createClassifier, createRuleClassifier, crossValidate, groupedFolds, loadLabelledCorpus, multiClassReport, multiLabelPRF, trainModelInWorkers, readManifest, loadSharedDocument, sharedCorpusDir, readRuleDevelopmentKeys, scoreThemes, authorityOf } = lib;
const corpus = await loadLabelledCorpus();
const labelledKeys = new Set(corpus.map((s) => `${s.doc}#${s.sentence}`));
const ruleDev = readRuleDevelopmentKeys();
const unlabelled = [];
for (const e of readManifest()) {
  const doc = await loadSharedDocument(sharedCorpusDir(), e.id);
  for (const s of doc.sentences) {
    const key = `${s.docId}#${s.index}`;
    if (labelledKeys.has(key) || ruleDev.has(key)) continue;
    unlabelled.push({ text: s.text, section: s.section, kind: s.kind, authority: authorityOf(s.docId) });
  }
}
console.error(`unlabelled sentences: ${unlabelled.length}`);
const authorities = corpus.map((s) => s.authority);
const folds = groupedFolds(authorities, 5, 2026);
const foldOf = new Map(corpus.map((s, i) => [s.authority, folds[i]]));
const ctx = (s) => ({ ...(s.section !== undefined ? { section: s.section } : {}), ...(s.kind !== undefined ? { kind: s.kind } : {}) });
const baselines = [], selfTrained = [];
// A seeded shuffle (an LCG: enough to pick which confident sentences are used).
let seed = 7; const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const t0 = performance.now();
for (let f = 0; f < 5; f++) {
  const train = corpus.filter((_, i) => folds[i] !== f);
  const m1 = await trainModelInWorkers(train, opt.train);
  const c1 = createClassifier({ model: m1 });
  const labeller = opt.labeller === 'rules' ? createRuleClassifier() : c1;
  const pool = unlabelled.filter((u) => foldOf.has(u.authority) && foldOf.get(u.authority) !== f);
  const pseudo = [];
  for (const u of pool) {
    const r = labeller.classify(u.text, ctx(u));
    // Confident in the polarity it gives (after its decision offsets). A non-finding's score is its neutral
    // score, P(not a finding) + P(finding)·P(neutral | finding).
    if (r.polarityScores[r.polarity] < opt.conf) continue;
    let ok = true;
    const themes = [];
    if (r.isFinding) {
      const probs = scoreThemes(labeller, u.text, ctx(u));
      for (const t of CORE_THEMES) { const p = probs[t] ?? 0; if (p >= opt.conf) themes.push(t); else if (p > 1 - opt.conf) { ok = false; break; } }
      // The confident themes must be exactly those the classifier tags (its thresholds may sit outside [1 - conf, conf]).
      const tagged = r.themes.map((t) => t.theme).filter((t) => CORE_THEMES.includes(t)).sort();
      if (ok && tagged.join() !== [...themes].sort().join()) ok = false;
    }
    if (!ok) continue;
    pseudo.push({ text: u.text, section: u.section, kind: u.kind, authority: u.authority, finding: r.isFinding, themes: themes.sort(), polarity: r.polarity });
  }
  for (let i = pseudo.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [pseudo[i], pseudo[j]] = [pseudo[j], pseudo[i]]; }
  const used = pseudo.slice(0, opt.cap);
  const m2 = await trainModelInWorkers([...train, ...used], opt.train);
  baselines.push(c1);
  selfTrained.push(createClassifier({ model: m2 }));
  const th = used.filter((p) => p.themes.includes('thresholds')).length;
  console.error(`fold ${f}: pool ${pool.length}, confident ${pseudo.length}, used ${used.length} (thresholds ${th}), ${Math.round((performance.now() - t0) / 1000)} s`);
}
// Both systems scored on the same grouped folds as the models above (crossValidate draws them with the same seed).
const predsA = crossValidate(corpus, { folds: 5, seed: 2026, makeClassifier: (_train, f) => baselines[f] });
const predsB = crossValidate(corpus, { folds: 5, seed: 2026, makeClassifier: (_train, f) => selfTrained[f] });
const report = (preds, idx) => {
  const th = multiLabelPRF(idx.map((i) => corpus[i].themes), idx.map((i) => preds[i].themes), CORE_THEMES);
  const pol = multiClassReport(idx.map((i) => corpus[i].polarity), idx.map((i) => preds[i].polarity), POLARITIES);
  return { micro: +th.micro.f1.toFixed(4), macro: +th.macroF1.toFixed(4), per: Object.fromEntries(CORE_THEMES.map((t) => [t, +th.perLabel[t].f1.toFixed(4)])), polAcc: +pol.accuracy.toFixed(4), polMacro: +pol.macroF1.toFixed(4) };
};
const all = corpus.map((_, i) => i), rnd = all.filter((i) => corpus[i].sample === 'random');
console.log(JSON.stringify({ opt, baseline: report(predsA, all), selftrain: report(predsB, all), baselineRandom: report(predsA, rnd), selftrainRandom: report(predsB, rnd) }, null, 1));
