/**
 * The project's own deterministic trainer: L2-regularised logistic regression
 * (binary) and softmax regression (multiclass) over sparse rows, fitted by
 * full-batch gradient descent with Nesterov momentum on typed arrays. Full
 * batches in a fixed order make every run bit-for-bit identical.
 *
 * Steps are diagonally preconditioned: a rare feature's curvature is tiny next
 * to the bias's, so plain gradient descent leaves rare weights far from the
 * optimum within the epoch budget. Each column's step is scaled by how much
 * flatter it is than the steepest column (at most MAX_STEP_SCALE times).
 */

export interface SparseRows {
  /** CSR layout: row r has entries offsets[r] .. offsets[r+1]. */
  offsets: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  rows: number;
  columnsCount: number;
}

export function toSparse(rows: Array<Array<[number, number]>>, columnsCount: number): SparseRows {
  const offsets = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    offsets[i] = nnz;
    nnz += r.length;
  });
  offsets[rows.length] = nnz;
  const columns = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const r of rows) for (const [c, v] of r) {
    columns[k] = c;
    values[k++] = v;
  }
  return { offsets, columns, values, rows: rows.length, columnsCount };
}

export interface TrainOptions {
  l2: number;
  epochs: number;
  learningRate: number;
  /** Per-row weights (e.g. class balancing); default 1. */
  sampleWeights?: Float64Array;
  /** Per column and head, interleaved [column][head]: a multiplier of the L2 penalty (default 1). */
  l2Scale?: Float64Array;
}

/** Cap on a column's step scale: larger caps reached no lower training objective. */
const MAX_STEP_SCALE = 30;

/**
 * Per column, the steepest column's curvature over this one's: curvature is
 * bounded by 0.25·mean(x²) for the logistic loss (p(1 − p) ≤ 1/4), plus the L2 term.
 */
function stepScales(X: SparseRows, weights: Float64Array | undefined, weightSum: number, l2: number, l2Scale: Float64Array | undefined, K: number): Float64Array {
  const { offsets, columns, values } = X;
  const h = new Float64Array(X.columnsCount);
  for (let r = 0; r < X.rows; r++) {
    const sw = weights ? weights[r]! : 1;
    for (let j = offsets[r]!; j < offsets[r + 1]!; j++) h[columns[j]!] = h[columns[j]!]! + sw * values[j]! * values[j]!;
  }
  let steepest = 0;
  for (let d = 0; d < h.length; d++) steepest = Math.max(steepest, (h[d] = (0.25 * h[d]!) / weightSum + l2 * (l2Scale ? largestScale(l2Scale, d, K) : 1)));
  for (let d = 0; d < h.length; d++) h[d] = Math.min(MAX_STEP_SCALE, steepest / h[d]!);
  return h;
}

/** A column's largest penalty multiplier over its heads: its step must be stable for every head. */
function largestScale(l2Scale: Float64Array, column: number, K: number): number {
  let largest = 0;
  for (let k = 0; k < K; k++) largest = Math.max(largest, l2Scale[column * K + k]!);
  return largest;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * K output columns trained jointly: K independent binary heads, or one K-way softmax.
 * Weights are interleaved ([column][head]) so that one pass over a row's entries
 * serves every head; each head's sums still run in the same order, so without
 * `l2Scale` the result is bit-for-bit that of training the heads one by one. (With
 * it, a column's step is set by its largest multiplier over all heads.)
 */
export function trainLinear(X: SparseRows, targets: Float64Array[], mode: 'binary' | 'softmax', options: TrainOptions): Float64Array[] {
  const K = targets.length;
  const D = X.columnsCount;
  const N = X.rows;
  const W = new Float64Array(D * K);
  const V = new Float64Array(D * K);
  const G = new Float64Array(D * K);
  const look = new Float64Array(D * K);
  const z = new Float64Array(K);
  const p = new Float64Array(K);
  const err = new Float64Array(K);
  const { offsets, columns, values } = X;
  const weightSum = options.sampleWeights ? options.sampleWeights.reduce((a, b) => a + b, 0) : N;
  const momentum = 0.9;
  // Softmax couples the classes of a column (its curvature bound is 1/2, not 1/4): half the step.
  const l2Scale = options.l2Scale;
  if (l2Scale !== undefined && l2Scale.length !== D * K) throw new RangeError(`trainLinear: l2Scale must hold ${D * K} multipliers (columns × heads), got ${l2Scale.length}`);
  const scales = stepScales(X, options.sampleWeights, weightSum, options.l2, l2Scale, K);
  const rate = mode === 'softmax' && K > 1 ? options.learningRate / 2 : options.learningRate;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = 0; i < D * K; i++) look[i] = W[i]! + momentum * V[i]!;
    G.fill(0);
    for (let r = 0; r < N; r++) {
      const start = offsets[r]!, end = offsets[r + 1]!;
      if (K === 1) {
        let s = 0;
        for (let j = start; j < end; j++) s += look[columns[j]!]! * values[j]!;
        z[0] = s;
      } else {
        // Heads four at a time with their sums in locals (the hot loop of training); each
        // head's sum is still the same additions in the same order as one head alone.
        let k = 0;
        for (; k + 4 <= K; k += 4) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let j = start; j < end; j++) {
            const base = columns[j]! * K + k;
            const x = values[j]!;
            s0 += look[base]! * x;
            s1 += look[base + 1]! * x;
            s2 += look[base + 2]! * x;
            s3 += look[base + 3]! * x;
          }
          z[k] = s0;
          z[k + 1] = s1;
          z[k + 2] = s2;
          z[k + 3] = s3;
        }
        for (; k < K; k++) {
          let s = 0;
          for (let j = start; j < end; j++) s += look[columns[j]! * K + k]! * values[j]!;
          z[k] = s;
        }
      }
      if (mode === 'softmax') {
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, z[k]!);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += p[k] = Math.exp(z[k]! - max);
        for (let k = 0; k < K; k++) p[k] = p[k]! / sum;
      } else {
        for (let k = 0; k < K; k++) p[k] = sigmoid(z[k]!);
      }
      const sw = options.sampleWeights ? options.sampleWeights[r]! : 1;
      for (let k = 0; k < K; k++) err[k] = (p[k]! - targets[k]![r]!) * sw;
      if (K === 1) {
        const e = err[0]!;
        if (e !== 0) for (let j = start; j < end; j++) G[columns[j]!] = G[columns[j]!]! + e * values[j]!;
      } else {
        let k = 0;
        for (; k + 4 <= K; k += 4) {
          const e0 = err[k]!, e1 = err[k + 1]!, e2 = err[k + 2]!, e3 = err[k + 3]!;
          for (let j = start; j < end; j++) {
            const base = columns[j]! * K + k;
            const x = values[j]!;
            G[base] = G[base]! + e0 * x;
            G[base + 1] = G[base + 1]! + e1 * x;
            G[base + 2] = G[base + 2]! + e2 * x;
            G[base + 3] = G[base + 3]! + e3 * x;
          }
        }
        for (; k < K; k++) {
          const e = err[k]!;
          for (let j = start; j < end; j++) G[columns[j]! * K + k] = G[columns[j]! * K + k]! + e * values[j]!;
        }
      }
    }
    for (let d = 0, i = 0; d < D; d++) {
      const step = rate * scales[d]!;
      for (let k = 0; k < K; k++, i++) {
        const grad = G[i]! / weightSum + (l2Scale ? options.l2 * l2Scale[i]! : options.l2) * look[i]!;
        V[i] = momentum * V[i]! - step * grad;
        W[i] = W[i]! + V[i]!;
      }
    }
  }
  return Array.from({ length: K }, (_, k) => {
    const w = new Float64Array(D);
    for (let d = 0; d < D; d++) w[d] = W[d * K + k]!;
    return w;
  });
}

export function scoreRow(X: SparseRows, r: number, w: Float64Array | Float32Array | number[]): number {
  let s = 0;
  for (let j = X.offsets[r]!; j < X.offsets[r + 1]!; j++) s += (w[X.columns[j]!] ?? 0) * X.values[j]!;
  return s;
}

/** Platt scaling: fit p = σ(a·z + b) to labels by Newton's method (deterministic). */
export function fitPlatt(scores: number[], labels: number[]): { a: number; b: number } {
  let a = 1, b = 0;
  // Platt's smoothed targets avoid infinite weights on separable data.
  const pos = labels.filter((y) => y === 1).length;
  const neg = labels.length - pos;
  const hi = (pos + 1) / (pos + 2), lo = 1 / (neg + 2);
  const t = labels.map((y) => (y === 1 ? hi : lo));
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (let i = 0; i < scores.length; i++) {
      const p = sigmoid(a * scores[i]! + b);
      const d = p - t[i]!;
      const w = p * (1 - p);
      ga += d * scores[i]!;
      gb += d;
      haa += w * scores[i]! * scores[i]!;
      hab += w * scores[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

/** Temperature for softmax calibration, by golden-section search on log loss. */
export function fitTemperature(logits: number[][], labels: number[]): number {
  const loss = (T: number) => {
    let total = 0;
    logits.forEach((z, i) => {
      const max = Math.max(...z);
      const sum = z.reduce((s, v) => s + Math.exp((v - max) / T), 0);
      total -= (z[labels[i]!]! - max) / T - Math.log(sum);
    });
    return total;
  };
  let lo = 0.2, hi = 5;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const m1 = hi - phi * (hi - lo), m2 = lo + phi * (hi - lo);
    if (loss(m1) < loss(m2)) hi = m2;
    else lo = m1;
  }
  return (lo + hi) / 2;
}

export { sigmoid };
