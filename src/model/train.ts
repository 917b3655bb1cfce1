/**
 * Train the model from labelled sentences. Deterministic: the same sentences
 * and options give a byte-identical model file. Calibration (Platt scaling,
 * temperature) and per-theme thresholds come from grouped cross-validation by
 * authority inside the training data, never from the data being evaluated.
 */
import { assertArray, assertOptionsObject, describeType, isRecord } from '../guards.js';
import { analyseSentence } from '../rules/analyse.js';
import { BUILTIN_RULE_PACKS } from '../rules/builtin.js';
import { compileRulePacks, type CompiledRules } from '../rules/compile.js';
import { tokenize } from '../rules/tokens.js';
import { DEFAULT_FEATURES, extractFeatures, type FeatureConfig } from '../features/extract.js';
import { hashText } from '../segment/hash.js';
import { CORE_THEMES, MODEL_FORMAT, MODEL_VERSION, POLARITIES, type LabelledSentence, type Model, type RulePack } from '../schemas.js';
import { groupedFolds } from './folds.js';
import { fitPlatt, fitTemperature, scoreRow, sigmoid, toSparse, trainLinear, type SparseRows } from './logistic.js';
import { modelChecksum } from './model.js';

export interface TrainModelOptions {
  rulePacks?: RulePack[];
  features?: Partial<FeatureConfig>;
  /** Features seen in fewer training sentences than this are dropped. */
  minCount?: number;
  l2?: number;
  epochs?: number;
  learningRate?: number;
  /** Folds of the inner grouped cross-validation used for calibration and thresholds. */
  innerFolds?: number;
  seed?: number;
  /** Cross-validation metrics to record in the model file. */
  metrics?: Record<string, number>;
}

type TrainingTarget = Pick<LabelledSentence, 'text' | 'finding' | 'themes' | 'polarity' | 'authority'> & Partial<Pick<LabelledSentence, 'section' | 'kind'>>;

const DEFAULTS = { minCount: 3, l2: 3e-4, epochs: 160, learningRate: 0.5, innerFolds: 4, seed: 2026 };

export function featuresForTraining(rules: CompiledRules, config: FeatureConfig, s: TrainingTarget): Map<string, number> {
  const headingTokens = s.section !== undefined ? tokenize(s.section) : undefined;
  const analysis = analyseSentence(rules, s.text, s.section, headingTokens);
  return extractFeatures(analysis, config, { ...(headingTokens ? { headingTokens } : {}), ...(s.kind !== undefined ? { kind: s.kind } : {}) });
}

interface Design {
  X: SparseRows;
  findingRows: number[];
}

function design(featureMaps: Array<Map<string, number>>, index: Map<string, number>, sentences: TrainingTarget[]): Design {
  const rows = featureMaps.map((f) => {
    const row: Array<[number, number]> = [];
    for (const [name, value] of f) {
      const c = index.get(name);
      if (c !== undefined) row.push([c, value]);
    }
    return row.sort((a, b) => a[0] - b[0]);
  });
  return { X: toSparse(rows, index.size), findingRows: sentences.flatMap((s, i) => (s.finding ? [i] : [])) };
}

function subset(X: SparseRows, rows: number[]): SparseRows {
  const picked: Array<Array<[number, number]>> = rows.map((r) => {
    const out: Array<[number, number]> = [];
    for (let j = X.offsets[r]!; j < X.offsets[r + 1]!; j++) out.push([X.columns[j]!, X.values[j]!]);
    return out;
  });
  return toSparse(picked, X.columnsCount);
}

interface Heads {
  finding: Float64Array;
  themes: Float64Array[];
  polarity: Float64Array[];
}

function fitHeads(X: SparseRows, sentences: TrainingTarget[], rows: number[], themes: readonly string[], o: typeof DEFAULTS): Heads {
  const all = subset(X, rows);
  const opts = { l2: o.l2, epochs: o.epochs, learningRate: o.learningRate };
  const [finding] = trainLinear(all, [Float64Array.from(rows, (r) => (sentences[r]!.finding ? 1 : 0))], 'binary', opts);
  const findingRows = rows.filter((r) => sentences[r]!.finding);
  const F = subset(X, findingRows);
  const themeHeads = trainLinear(F, themes.map((t) => Float64Array.from(findingRows, (r) => (sentences[r]!.themes.includes(t as never) ? 1 : 0))), 'binary', opts);
  const polarity = trainLinear(F, POLARITIES.map((c) => Float64Array.from(findingRows, (r) => (sentences[r]!.polarity === c ? 1 : 0))), 'softmax', opts);
  return { finding: finding!, themes: themeHeads, polarity };
}

function bestF1Threshold(probabilities: number[], labels: number[]): number {
  let best = 0.5, bestF1 = -1;
  for (let t = 0.1; t <= 0.9001; t += 0.025) {
    let tp = 0, fp = 0, fn = 0;
    probabilities.forEach((p, i) => {
      const y = labels[i] === 1;
      if (p >= t && y) tp++;
      else if (p >= t) fp++;
      else if (y) fn++;
    });
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f1 > bestF1 + 1e-12) [best, bestF1] = [Math.round(t * 1000) / 1000, f1];
  }
  return best;
}

const round = (x: number) => {
  const r = Math.round(x * 10000) / 10000;
  return r === 0 ? 0 : r;
};

/** Train a model on labelled sentences (findings and non-findings). */
export function trainModel(sentences: TrainingTarget[], options: TrainModelOptions = {}): Model {
  assertArray(sentences, 'trainModel (sentences)');
  options = assertOptionsObject(options, 'trainModel');
  sentences.forEach((s, i) => {
    if (!isRecord(s) || typeof s.text !== 'string') throw new TypeError(`trainModel: sentences[${i}] must be a labelled sentence with a string text, got ${describeType(s)}`);
  });
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v === 'number')) } as typeof DEFAULTS;
  const config: FeatureConfig = { ...DEFAULT_FEATURES, ...options.features };
  const packs = [...BUILTIN_RULE_PACKS, ...(options.rulePacks ?? [])];
  const rules = compileRulePacks(packs);
  const themes = [...CORE_THEMES];
  if (sentences.length < 10) throw new RangeError(`trainModel needs labelled sentences; got ${sentences.length}`);

  const featureMaps = sentences.map((s) => featuresForTraining(rules, config, s));
  const df = new Map<string, number>();
  for (const f of featureMaps) for (const name of f.keys()) df.set(name, (df.get(name) ?? 0) + 1);
  const vocabulary = [...df].filter(([name, n]) => n >= o.minCount || name === 'bias').map(([name]) => name).sort();
  const index = new Map(vocabulary.map((name, i) => [name, i] as const));
  const { X } = design(featureMaps, index, sentences);

  // Inner grouped CV: out-of-fold raw scores for calibration and thresholds.
  const folds = groupedFolds(sentences.map((s) => s.authority), o.innerFolds, o.seed);
  const oofFinding: number[] = new Array(sentences.length).fill(0);
  const oofThemes: number[][] = themes.map(() => new Array(sentences.length).fill(0));
  const oofPolarity: number[][] = sentences.map(() => [0, 0, 0, 0]);
  for (let f = 0; f < o.innerFolds; f++) {
    const train = sentences.flatMap((_, i) => (folds[i] !== f ? [i] : []));
    const test = sentences.flatMap((_, i) => (folds[i] === f ? [i] : []));
    if (train.length === 0 || test.length === 0) continue;
    const heads = fitHeads(X, sentences, train, themes, o);
    for (const r of test) {
      oofFinding[r] = scoreRow(X, r, heads.finding);
      themes.forEach((_, t) => (oofThemes[t]![r] = scoreRow(X, r, heads.themes[t]!)));
      oofPolarity[r] = heads.polarity.map((w) => scoreRow(X, r, w));
    }
  }
  const findingLabels = sentences.map((s) => (s.finding ? 1 : 0));
  const findingCalibration = fitPlatt(oofFinding, findingLabels);
  const findingProbs = oofFinding.map((z) => sigmoid(findingCalibration.a * z + findingCalibration.b));
  const findingThreshold = bestF1Threshold(findingProbs, findingLabels);
  const findingIdx = sentences.flatMap((s, i) => (s.finding ? [i] : []));
  const themeCalibration = themes.map((t, k) => {
    const labels = findingIdx.map((i) => (sentences[i]!.themes.includes(t as never) ? 1 : 0));
    const scores = findingIdx.map((i) => oofThemes[k]![i]!);
    const cal = fitPlatt(scores, labels);
    return { cal, threshold: bestF1Threshold(scores.map((z) => sigmoid(cal.a * z + cal.b)), labels) };
  });
  const temperature = fitTemperature(
    findingIdx.map((i) => oofPolarity[i]!),
    findingIdx.map((i) => POLARITIES.indexOf(sentences[i]!.polarity)),
  );

  const heads = fitHeads(X, sentences, sentences.map((_, i) => i), themes, o);
  const authorities = new Set(sentences.map((s) => s.authority)).size;
  const fingerprint = hashText(sentences.map((s) => `${s.authority}\u0000${s.text}\u0000${s.finding}\u0000${s.themes.join(',')}\u0000${s.polarity}`).join('\n'));
  const trainingOptions = { minCount: o.minCount, l2: o.l2, epochs: o.epochs, learningRate: o.learningRate, innerFolds: o.innerFolds, seed: o.seed };
  const body: Omit<Model, 'checksum'> = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    features: config,
    rules: { packs: packs.map((p) => ({ id: p.id, version: p.version })), fingerprint: rules.fingerprint },
    vocabulary,
    finding: {
      name: 'finding',
      weights: Array.from(heads.finding, round),
      calibration: { a: round(findingCalibration.a), b: round(findingCalibration.b) },
      threshold: findingThreshold,
    },
    themes: themes.map((t, k) => ({
      name: t,
      weights: Array.from(heads.themes[k]!, round),
      calibration: { a: round(themeCalibration[k]!.cal.a), b: round(themeCalibration[k]!.cal.b) },
      threshold: themeCalibration[k]!.threshold,
    })),
    polarity: { classes: [...POLARITIES], weights: heads.polarity.map((w) => Array.from(w, round)), temperature: round(temperature) },
    training: { fingerprint, sentences: sentences.length, findings: findingIdx.length, authorities, options: trainingOptions },
    metrics: Object.fromEntries(Object.entries(options.metrics ?? {}).map(([k, v]) => [k, round(v)])),
  };
  return { ...body, checksum: modelChecksum(body) };
}
