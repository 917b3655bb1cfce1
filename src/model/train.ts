/**
 * Train the model from labelled sentences. Deterministic: the same sentences
 * and options give a byte-identical model file. Calibration (Platt scaling,
 * temperature) and per-theme thresholds come from grouped cross-validation by
 * authority inside the training data, never from the data being evaluated.
 */
import { assertArray, assertOptionsObject, describeType, isRecord } from '../guards.js';
import { BUILTIN_RULE_PACKS } from '../rules/builtin.js';
import { compileRulePacks } from '../rules/compile.js';
import type { FeatureConfig } from '../features/extract.js';
import { featureConfigOf, namedFeatures } from '../features/sentence.js';
import { hashText } from '../segment/hash.js';
import { CORE_THEMES, MODEL_FORMAT, MODEL_VERSION, POLARITIES, type LabelledSentence, type Model, type RulePack } from '../schemas.js';
import { groupedFolds } from './folds.js';
import { fitPlatt, fitTemperature, scoreRow, sigmoid, toSparse, type SparseRows } from './logistic.js';
import { fitJob, type FitJob, type FitOptions, type FittedJob, type Heads, type TrainingLabels } from './fit.js';
import { modelChecksum } from './model.js';
import { encodeWeights } from './weights.js';

export interface TrainModelOptions {
  rulePacks?: RulePack[];
  features?: Partial<FeatureConfig>;
  /** Features seen in fewer training sentences than this are dropped (default 8). */
  minCount?: number;
  l2?: number;
  epochs?: number;
  learningRate?: number;
  /** Folds of the inner grouped cross-validation used for calibration and thresholds. */
  innerFolds?: number;
  seed?: number;
  /**
   * Candidate priors β for the theme heads (1 to 4 values in [0, 1], default [0, 0.5]): each
   * feature's L2 penalty is divided by β·r² + 1 − β, r being its naive-Bayes log-count ratio for
   * the theme, so that β = 0 is plain L2. Each theme's β is chosen by the inner cross-validation
   * (best F1 on its out-of-fold predictions); every candidate is fitted, so each one adds the
   * cost of the theme heads to training.
   */
  themePriors?: number[];
  /** Cross-validation metrics to record in the model file. */
  metrics?: Record<string, number>;
}

type TrainingTarget = Pick<LabelledSentence, 'text' | 'finding' | 'themes' | 'polarity' | 'authority'> & Partial<Pick<LabelledSentence, 'section' | 'kind'>>;

const DEFAULTS = { minCount: 8, l2: 3e-4, epochs: 160, learningRate: 0.5, innerFolds: 4, seed: 2026 };
const DEFAULT_THEME_PRIORS = [0, 0.5];

function themePriorsOf(value: unknown): number[] {
  if (value === undefined) return [...DEFAULT_THEME_PRIORS];
  if (!Array.isArray(value)) throw new TypeError(`trainModel: themePriors must be an array of numbers, got ${describeType(value)}`);
  const values: unknown[] = Array.from(value as unknown[]); // holes become undefined, and are refused below
  const ok = values.length >= 1 && values.length <= 4 && values.every((v) => typeof v === 'number' && v >= 0 && v <= 1) && new Set(values).size === values.length;
  if (!ok) throw new RangeError(`trainModel: themePriors must be 1 to 4 distinct numbers from 0 to 1, got [${values.map((v) => (typeof v === 'number' ? String(v) : describeType(v))).join(', ')}]`);
  return values as number[];
}

function designMatrix(featureMaps: Array<Map<string, number>>, index: Map<string, number>): SparseRows {
  const rows = featureMaps.map((f) => {
    const row: Array<[number, number]> = [];
    for (const [name, value] of f) {
      const c = index.get(name);
      if (c !== undefined) row.push([c, value]);
    }
    return row.sort((a, b) => a[0] - b[0]);
  });
  return toSparse(rows, index.size);
}

/** The threshold (on a 0.025 grid) with the best F1, and that F1. */
function bestF1Threshold(probabilities: number[], labels: number[]): { threshold: number; f1: number } {
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
  return { threshold: best, f1: Math.max(bestF1, 0) };
}

/**
 * Additive offsets to the log polarity scores when a finding's polarity is
 * chosen, for accuracy over all sentences (a non-finding counts as neutral),
 * fitted on inner out-of-fold scores by coordinate ascent on a grid. The first
 * class stays at 0. Like the theme thresholds, they come from the training data
 * only; the calibrated scores themselves are unchanged.
 */
export function bestPolarityOffsets(logScores: number[][], isFinding: boolean[], gold: number[], neutral = POLARITIES.indexOf('neutral')): number[] {
  const K = logScores[0]?.length ?? 0;
  const accuracy = (offsets: number[]) => {
    let right = 0;
    for (let i = 0; i < logScores.length; i++) {
      let best = neutral;
      if (isFinding[i]) {
        let top = -Infinity;
        for (let k = 0; k < K; k++) {
          const v = logScores[i]![k]! + offsets[k]!;
          if (v > top) [top, best] = [v, k];
        }
      }
      if (best === gold[i]) right++;
    }
    return right;
  };
  const offsets = new Array<number>(K).fill(0);
  let current = accuracy(offsets);
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (let k = 1; k < K; k++) {
      let bestValue = offsets[k]!;
      for (let step = -40; step <= 40; step++) {
        const value = step / 20;
        const trial = offsets.slice();
        trial[k] = value;
        const score = accuracy(trial);
        // Strictly better, or as good and closer to 0: the smallest change that helps.
        if (score > current || (score === current && Math.abs(value) < Math.abs(bestValue))) [current, bestValue] = [score, value];
      }
      if (bestValue !== offsets[k]) [offsets[k], changed] = [bestValue, true];
    }
    if (!changed) break;
  }
  return offsets;
}

const round = (x: number) => {
  const r = Math.round(x * 10000) / 10000;
  return r === 0 ? 0 : r;
};

/**
 * The first half of trainModel (finishTraining is the second; the fits run in
 * between, here or in worker threads). Everything training needs before the heads are fitted: validated options,
 * features, vocabulary, design matrix, labels, and the row sets of the fits
 * (each inner fold's training side, then all rows for the final model).
 */
export interface TrainingPlan {
  sentences: TrainingTarget[];
  options: TrainModelOptions;
  o: typeof DEFAULTS;
  config: FeatureConfig;
  packs: RulePack[];
  rulesFingerprint: string;
  themes: string[];
  vocabulary: string[];
  X: SparseRows;
  labels: TrainingLabels;
  folds: number[];
  /** Rows of each fit: inner folds 0..innerFolds-1 (training sides), then the final fit on every row. */
  fits: number[][];
  /** The candidate theme priors (TrainModelOptions.themePriors). */
  themePriors: number[];
  /**
   * The work to do, fit by fit (plan.fits order, empty fits left out): every head with the first theme
   * prior, then the theme heads alone with each other prior. finishTraining takes their results in this order.
   */
  jobs: Array<FitJob & { fit: number }>;
  fit: FitOptions;
}

export function planTraining(sentences: TrainingTarget[], options: TrainModelOptions = {}): TrainingPlan {
  assertArray(sentences, 'trainModel (sentences)');
  options = assertOptionsObject(options, 'trainModel');
  sentences.forEach((s, i) => {
    if (!isRecord(s) || typeof s.text !== 'string') throw new TypeError(`trainModel: sentences[${i}] must be a labelled sentence with a string text, got ${describeType(s)}`);
  });
  const themePriors = themePriorsOf(options.themePriors);
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v === 'number')) } as typeof DEFAULTS;
  const config = featureConfigOf(options.features, 'trainModel options.features');
  const packs = [...BUILTIN_RULE_PACKS, ...(options.rulePacks ?? [])];
  const rules = compileRulePacks(packs);
  const themes = [...CORE_THEMES];
  if (sentences.length < 10) throw new RangeError(`trainModel needs labelled sentences; got ${sentences.length}`);

  const featureMaps = sentences.map((s) => namedFeatures(rules, config, s.text, s.section, s.kind));
  const df = new Map<string, number>();
  for (const f of featureMaps) for (const name of f.keys()) df.set(name, (df.get(name) ?? 0) + 1);
  const vocabulary = [...df].filter(([name, n]) => n >= o.minCount || name === 'bias').map(([name]) => name).sort();
  const index = new Map(vocabulary.map((name, i) => [name, i] as const));
  const X = designMatrix(featureMaps, index);
  const labels: TrainingLabels = {
    finding: Uint8Array.from(sentences, (s) => (s.finding ? 1 : 0)),
    themes: themes.map((t) => Uint8Array.from(sentences, (s) => (s.themes.includes(t as never) ? 1 : 0))),
    // 255 (no class) for a polarity outside the list: every polarity target is then 0, as it always was.
    polarity: Uint8Array.from(sentences, (s) => (POLARITIES.indexOf(s.polarity) < 0 ? 255 : POLARITIES.indexOf(s.polarity))),
    polarityClasses: POLARITIES.length,
  };
  const folds = groupedFolds(sentences.map((s) => s.authority), o.innerFolds, o.seed);
  const fits: number[][] = [];
  // An inner fold with no test rows (fewer authorities than folds) is never scored: no fit for it.
  for (let f = 0; f < o.innerFolds; f++) fits.push(folds.includes(f) ? sentences.flatMap((_, i) => (folds[i] !== f ? [i] : [])) : []);
  fits.push(sentences.map((_, i) => i));
  fits.forEach((rows, f) => {
    if (rows.length > 0 && !rows.some((r) => labels.finding[r] === 1)) {
      throw new RangeError(`trainModel: ${f < o.innerFolds ? `inner fold ${f}'s training side` : 'the training data'} has no findings, so its theme and polarity heads cannot be fitted (give more authorities, or fewer innerFolds)`);
    }
  });
  const jobs = fits.flatMap((rows, fit) => (rows.length === 0 ? [] : themePriors.map((themePrior, p) => Object.freeze({ fit, rows, themePrior, themesOnly: p > 0 }))));
  for (const rows of fits) Object.freeze(rows);
  const fit: FitOptions = { l2: o.l2, epochs: o.epochs, learningRate: o.learningRate, biasColumn: index.get('bias') ?? -1 };
  const plan: TrainingPlan = {
    sentences, options, o, config, packs, rulesFingerprint: rules.fingerprint, themes, vocabulary, X, labels, folds,
    fits: Object.freeze(fits) as number[][], themePriors: Object.freeze(themePriors) as number[], jobs: Object.freeze(jobs) as TrainingPlan['jobs'], fit: Object.freeze(fit),
  };
  Object.freeze(plan);
  plans.add(plan);
  return plan;
}

/** Plans made by planTraining: finishTraining accepts only these. */
const plans = new WeakSet<object>();

function checkFitted(plan: TrainingPlan, fitted: unknown): asserts fitted is FittedJob[] {
  if (!Array.isArray(fitted) || fitted.length !== plan.jobs.length) {
    throw new TypeError(`finishTraining: expected ${plan.jobs.length} fitted results (one per job in plan.jobs), got ${describeType(fitted)}`);
  }
  const D = plan.X.columnsCount;
  const vector = (v: unknown) => v instanceof Float64Array && v.length === D && v.every(Number.isFinite);
  fitted.forEach((h: Partial<Heads> | null, i) => {
    const themesOnly = plan.jobs[i]!.themesOnly;
    const ok =
      h !== null && typeof h === 'object' &&
      Array.isArray(h.themes) && h.themes.length === plan.themes.length && h.themes.every(vector) &&
      (themesOnly || (vector(h.finding) && Array.isArray(h.polarity) && h.polarity.length === plan.labels.polarityClasses && h.polarity.every(vector)));
    if (!ok) {
      const expected = themesOnly ? `${plan.themes.length} theme heads` : `finding, ${plan.themes.length} themes, ${plan.labels.polarityClasses} polarity classes`;
      throw new TypeError(`finishTraining: fitted[${i}] must hold finite Float64Array heads of length ${D} (${expected})`);
    }
  });
}

/** Platt calibration, F1-best threshold and that F1, from out-of-fold scores. */
function calibrateTheme(scores: number[], labels: number[]): { cal: { a: number; b: number }; threshold: number; f1: number } {
  const cal = fitPlatt(scores, labels);
  return { cal, ...bestF1Threshold(scores.map((z) => sigmoid(cal.a * z + cal.b)), labels) };
}

/** The model from a plan and the result of each of its jobs (in plan.jobs order). */
export function finishTraining(plan: TrainingPlan, fitted: readonly FittedJob[]): Model {
  if (plan === null || typeof plan !== 'object' || !plans.has(plan)) throw new TypeError(`finishTraining expects a plan made by planTraining, got ${describeType(plan)}`);
  checkFitted(plan, fitted);
  const { sentences, o, themes, X, folds, config, packs, vocabulary, options } = plan;
  // Inner grouped CV: out-of-fold raw scores for calibration and thresholds.
  const oofFinding: number[] = new Array(sentences.length).fill(0);
  // Per theme prior, per theme.
  const oofThemes: number[][][] = plan.themePriors.map(() => themes.map(() => new Array(sentences.length).fill(0)));
  const resultOf = (fit: number, prior: number) => fitted[plan.jobs.findIndex((j) => j.fit === fit && j.themePrior === plan.themePriors[prior])]!;
  const oofPolarity: number[][] = sentences.map(() => [0, 0, 0, 0]);
  for (let f = 0; f < o.innerFolds; f++) {
    const test = sentences.flatMap((_, i) => (folds[i] === f ? [i] : []));
    if (plan.fits[f]!.length === 0 || test.length === 0) continue;
    const heads = resultOf(f, 0) as Heads;
    for (const r of test) {
      oofFinding[r] = scoreRow(X, r, heads.finding);
      oofPolarity[r] = heads.polarity.map((w) => scoreRow(X, r, w));
    }
    plan.themePriors.forEach((_, p) => {
      const themeHeads = resultOf(f, p).themes;
      for (const r of test) themes.forEach((_, t) => (oofThemes[p]![t]![r] = scoreRow(X, r, themeHeads[t]!)));
    });
  }
  const findingLabels = sentences.map((s) => (s.finding ? 1 : 0));
  const findingCalibration = fitPlatt(oofFinding, findingLabels);
  const findingProbs = oofFinding.map((z) => sigmoid(findingCalibration.a * z + findingCalibration.b));
  const findingThreshold = bestF1Threshold(findingProbs, findingLabels).threshold;
  const findingIdx = sentences.flatMap((s, i) => (s.finding ? [i] : []));
  // Each theme's prior: the candidate with the best out-of-fold F1 (the first of equals).
  const themeCalibration = themes.map((t, k) => {
    const labels = findingIdx.map((i) => (sentences[i]!.themes.includes(t as never) ? 1 : 0));
    let best: ReturnType<typeof calibrateTheme> & { prior: number } = { ...calibrateTheme(findingIdx.map((i) => oofThemes[0]![k]![i]!), labels), prior: 0 };
    for (let p = 1; p < plan.themePriors.length; p++) {
      const candidate = calibrateTheme(findingIdx.map((i) => oofThemes[p]![k]![i]!), labels);
      if (candidate.f1 > best.f1) best = { ...candidate, prior: p };
    }
    return best;
  });
  const temperature = fitTemperature(
    findingIdx.map((i) => oofPolarity[i]!),
    findingIdx.map((i) => POLARITIES.indexOf(sentences[i]!.polarity)),
  );

  // Out-of-fold polarity scores as classify() reports them: P(not a finding) goes to neutral.
  const neutral = POLARITIES.indexOf('neutral');
  const oofScores = oofPolarity.map((z, i) => {
    const max = Math.max(...z.map((v) => v / temperature));
    const e = z.map((v) => Math.exp(v / temperature - max));
    const sum = e.reduce((a, b) => a + b, 0);
    const pF = findingProbs[i]!;
    return e.map((v, k) => (k === neutral ? 1 - pF : 0) + (pF * v) / sum);
  });
  const offsets = bestPolarityOffsets(
    oofScores.map((p) => p.map((v) => Math.log(v))),
    findingProbs.map((p) => p >= findingThreshold),
    sentences.map((s) => POLARITIES.indexOf(s.polarity)),
  );

  const finalFit = plan.fits.length - 1;
  const heads = resultOf(finalFit, 0) as Heads;
  const authorities = new Set(sentences.map((s) => s.authority)).size;
  const fingerprint = hashText(sentences.map((s) => `${s.authority}\u0000${s.text}\u0000${s.finding}\u0000${s.themes.join(',')}\u0000${s.polarity}`).join('\n'));
  const trainingOptions = {
    minCount: o.minCount, l2: o.l2, epochs: o.epochs, learningRate: o.learningRate, innerFolds: o.innerFolds, seed: o.seed,
    themePriors: plan.themePriors.join(','),
    ...Object.fromEntries(themes.map((t, k) => [`themePrior:${t}`, plan.themePriors[themeCalibration[k]!.prior]!])),
  };
  const body: Omit<Model, 'checksum'> = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    features: config,
    rules: { packs: packs.map((p) => ({ id: p.id, version: p.version })), fingerprint: plan.rulesFingerprint },
    vocabulary,
    finding: {
      name: 'finding',
      weights: encodeWeights(Array.from(heads.finding, round)),
      calibration: { a: round(findingCalibration.a), b: round(findingCalibration.b) },
      threshold: findingThreshold,
    },
    themes: themes.map((t, k) => ({
      name: t,
      weights: encodeWeights(Array.from(resultOf(finalFit, themeCalibration[k]!.prior).themes[k]!, round)),
      calibration: { a: round(themeCalibration[k]!.cal.a), b: round(themeCalibration[k]!.cal.b) },
      threshold: themeCalibration[k]!.threshold,
    })),
    polarity: { classes: [...POLARITIES], weights: heads.polarity.map((w) => encodeWeights(Array.from(w, round))), temperature: round(temperature), offsets: offsets.map(round) },
    training: { fingerprint, sentences: sentences.length, findings: findingIdx.length, authorities, options: trainingOptions },
    metrics: Object.fromEntries(Object.entries(options.metrics ?? {}).map(([k, v]) => [k, round(v)])),
  };
  return { ...body, checksum: modelChecksum(body) };
}

/** Runs job `index` of a plan (plan.jobs[index]); finishTraining takes the results of every job, in order. */
export function fitPlannedJob(plan: TrainingPlan, index: number): FittedJob {
  if (plan === null || typeof plan !== 'object' || !plans.has(plan)) throw new TypeError(`fitPlannedJob expects a plan made by planTraining, got ${describeType(plan)}`);
  if (!Number.isInteger(index) || index < 0 || index >= plan.jobs.length) throw new RangeError(`fitPlannedJob: index must be a whole number from 0 to ${plan.jobs.length - 1}, got ${describeType(index)}`);
  return fitJob(plan.X, plan.labels, plan.jobs[index]!, plan.fit);
}

/** Train a model on labelled sentences (findings and non-findings). See also trainModelInWorkers (Node), which gives the same model faster. */
export function trainModel(sentences: TrainingTarget[], options: TrainModelOptions = {}): Model {
  const plan = planTraining(sentences, options);
  return finishTraining(plan, plan.jobs.map((_, i) => fitPlannedJob(plan, i)));
}
