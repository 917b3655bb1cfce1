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

/** The finding head on all `rows`; theme and polarity heads on those rows that are findings. */
export function fitHeads(X: SparseRows, labels: TrainingLabels, rows: readonly number[], options: FitOptions): Heads {
  const [finding] = trainLinear(subsetRows(X, rows), [Float64Array.from(rows, (r) => labels.finding[r]!)], 'binary', options);
  const findingRows = rows.filter((r) => labels.finding[r] === 1);
  const F = subsetRows(X, findingRows);
  const themes = trainLinear(F, labels.themes.map((t) => Float64Array.from(findingRows, (r) => t[r]!)), 'binary', options);
  const polarity = trainLinear(
    F,
    Array.from({ length: labels.polarityClasses }, (_, c) => Float64Array.from(findingRows, (r) => (labels.polarity[r] === c ? 1 : 0))),
    'softmax',
    options,
  );
  return { finding: finding!, themes, polarity };
}
