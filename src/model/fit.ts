/**
 * Fitting the model's heads on a subset of rows: the numeric core of training,
 * with plain typed-array inputs so that it can also run in a worker thread
 * (parallel/train.ts). Depends on nothing but the trainer.
 */
import { trainLinear, toSparse, type SparseRows } from './logistic.js';

/** Labels as typed arrays, one entry per training sentence. */
export interface TrainingLabels {
  finding: Uint8Array;
  /** One array per theme head: 1 when the sentence has the theme. */
  themes: Uint8Array[];
  /** Index into the polarity classes. */
  polarity: Uint8Array;
  polarityClasses: number;
}

export interface FitOptions {
  l2: number;
  epochs: number;
  learningRate: number;
  /** The intercept's column, if any: an evidence-weighted prior leaves its penalty plain. */
  biasColumn?: number;
}

export interface Heads {
  finding: Float64Array;
  themes: Float64Array[];
  polarity: Float64Array[];
}

export function subsetRows(X: SparseRows, rows: readonly number[]): SparseRows {
  const picked: Array<Array<[number, number]>> = rows.map((r) => {
    const out: Array<[number, number]> = [];
    for (let j = X.offsets[r]!; j < X.offsets[r + 1]!; j++) out.push([X.columns[j]!, X.values[j]!]);
    return out;
  });
  return toSparse(picked, X.columnsCount);
}

/**
 * One unit of fitting work on a row set: every head (themes with the prior `themePrior`), or,
 * with `themesOnly`, the theme heads alone with another candidate prior (trainModel picks each
 * theme's prior by inner cross-validation, so it fits every candidate).
 */
export interface FitJob {
  rows: number[];
  themePrior: number;
  themesOnly: boolean;
}

/** What a FitJob gives: Heads, or only `themes` for a themesOnly job. */
export type FittedJob = Heads | Pick<Heads, 'themes'>;

export function fitJob(X: SparseRows, labels: TrainingLabels, job: FitJob, options: FitOptions): FittedJob {
  if (!job.themesOnly) return fitHeads(X, labels, job.rows, options, job.themePrior);
  const findingRows = findingRowsOf(labels, job.rows);
  return { themes: fitThemeHeads(subsetRows(X, findingRows), findingRows, labels, options, job.themePrior) };
}

/**
 * Each feature's L2 multiplier for each theme head, interleaved [column][head], from
 * naive-Bayes log-count ratios (Wang & Manning 2012): r is the log of how much more often
 * the feature occurs in the head's positive rows than in its negative ones (add-one
 * smoothed), and the multiplier is 1 / (β·r² + 1 − β). With β > 0, features that tell the
 * classes apart are shrunk less, and features that do not up to 1 / (1 − β) times more; β = 0 is
 * plain L2. The intercept (`biasColumn`) always keeps multiplier 1: it occurs in every row, so it
 * carries no evidence, and pinning it would distort every probability.
 */
export function evidencePenalties(X: SparseRows, targets: readonly Float64Array[], beta: number, biasColumn = -1): Float64Array {
  const K = targets.length;
  const D = X.columnsCount;
  const out = new Float64Array(D * K);
  const inPositive = new Float64Array(D);
  const inNegative = new Float64Array(D);
  for (let k = 0; k < K; k++) {
    inPositive.fill(0);
    inNegative.fill(0);
    let positives = 0;
    for (let r = 0; r < X.rows; r++) {
      const positive = targets[k]![r] === 1;
      if (positive) positives++;
      const counts = positive ? inPositive : inNegative;
      for (let j = X.offsets[r]!; j < X.offsets[r + 1]!; j++) if (X.values[j] !== 0) counts[X.columns[j]!] = counts[X.columns[j]!]! + 1;
    }
    const negatives = X.rows - positives;
    for (let d = 0; d < D; d++) {
      const r = Math.log((inPositive[d]! + 1) / (positives + 1)) - Math.log((inNegative[d]! + 1) / (negatives + 1));
      out[d * K + k] = d === biasColumn ? 1 : Math.min(MAX_PENALTY_SCALE, 1 / (beta * r * r + 1 - beta));
    }
  }
  return out;
}

/** Bounds the multiplier as β approaches 1 (a feature with r ≈ 0 would otherwise be penalised without limit). */
const MAX_PENALTY_SCALE = 100;

/** The theme heads on the finding rows `F` (`findingRows` of the full matrix). */
function fitThemeHeads(F: SparseRows, findingRows: readonly number[], labels: TrainingLabels, options: FitOptions, themePrior: number): Float64Array[] {
  const targets = labels.themes.map((t) => Float64Array.from(findingRows, (r) => t[r]!));
  return trainLinear(F, targets, 'binary', themePrior > 0 ? { ...options, l2Scale: evidencePenalties(F, targets, themePrior, options.biasColumn) } : options);
}

const findingRowsOf = (labels: TrainingLabels, rows: readonly number[]) => rows.filter((r) => labels.finding[r] === 1);

/** The finding head on all `rows`; theme and polarity heads on those rows that are findings. */
function fitHeads(X: SparseRows, labels: TrainingLabels, rows: readonly number[], options: FitOptions, themePrior: number): Heads {
  const [finding] = trainLinear(subsetRows(X, rows), [Float64Array.from(rows, (r) => labels.finding[r]!)], 'binary', options);
  const findingRows = findingRowsOf(labels, rows);
  const F = subsetRows(X, findingRows);
  const themes = fitThemeHeads(F, findingRows, labels, options, themePrior);
  const polarity = trainLinear(
    F,
    Array.from({ length: labels.polarityClasses }, (_, c) => Float64Array.from(findingRows, (r) => (labels.polarity[r] === c ? 1 : 0))),
    'softmax',
    options,
  );
  return { finding: finding!, themes, polarity };
}
