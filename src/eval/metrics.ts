/**
 * Evaluation metrics: precision/recall/F1, confusion matrices, Brier score, reliability curves, Spearman ρ.
 * Paired lists must have the same length (RangeError otherwise, as in cohenKappa); probabilities must be in [0, 1].
 */
import { assertArray, assertFiniteNumber, assertInteger, assertProbability, assertSameLength, describeType } from '../guards.js';

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  tp: number;
  fp: number;
  fn: number;
}

export function prf(tp: number, fp: number, fn: number): PRF {
  for (const [name, count] of [['tp', tp], ['fp', fp], ['fn', fn]] as const) {
    assertFiniteNumber(count, `prf (${name})`);
    if (count < 0) throw new RangeError(`prf (${name}) expects a count ≥ 0, got ${count}`);
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: tp + fn, tp, fp, fn };
}

export function binaryPRF(gold: readonly boolean[], predicted: readonly boolean[]): PRF {
  assertArray(gold, 'binaryPRF (gold)');
  assertArray(predicted, 'binaryPRF (predicted)');
  assertSameLength(gold, predicted, 'binaryPRF');
  let tp = 0, fp = 0, fn = 0;
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    if (g && p) tp++;
    else if (!g && p) fp++;
    else if (g && !p) fn++;
  });
  return prf(tp, fp, fn);
}

export interface MultiLabelReport {
  perLabel: Record<string, PRF>;
  micro: PRF;
  macroF1: number;
}

export function multiLabelPRF(gold: ReadonlyArray<readonly string[]>, predicted: ReadonlyArray<readonly string[]>, labels: readonly string[]): MultiLabelReport {
  assertArray(gold, 'multiLabelPRF (gold)');
  assertArray(predicted, 'multiLabelPRF (predicted)');
  assertArray(labels, 'multiLabelPRF (labels)');
  assertSameLength(gold, predicted, 'multiLabelPRF');
  for (const [name, list] of [['gold', gold], ['predicted', predicted]] as const) {
    list.forEach((item, i) => {
      if (!Array.isArray(item)) throw new TypeError(`multiLabelPRF: ${name}[${i}] must be an array of labels, got ${describeType(item)}`);
    });
  }
  const results = labels.map((label) => [label, binaryPRF(gold.map((g) => g.includes(label)), predicted.map((p) => p.includes(label)))] as const);
  // Built with fromEntries so that any label (even "__proto__") is an own key.
  const perLabel: Record<string, PRF> = Object.fromEntries(results);
  let TP = 0, FP = 0, FN = 0;
  for (const [, r] of results) {
    TP += r.tp;
    FP += r.fp;
    FN += r.fn;
  }
  const macroF1 = labels.reduce((s, l) => s + perLabel[l]!.f1, 0) / Math.max(1, labels.length);
  return { perLabel, micro: prf(TP, FP, FN), macroF1 };
}

export interface ClassReport {
  accuracy: number;
  perClass: Record<string, PRF>;
  macroF1: number;
  /** confusion[gold][predicted] */
  confusion: Record<string, Record<string, number>>;
}

export function multiClassReport(gold: readonly string[], predicted: readonly string[], classes: readonly string[]): ClassReport {
  assertArray(gold, 'multiClassReport (gold)');
  assertArray(predicted, 'multiClassReport (predicted)');
  assertArray(classes, 'multiClassReport (classes)');
  assertSameLength(gold, predicted, 'multiClassReport');
  const known = new Set<unknown>(classes);
  for (const [name, list] of [['gold', gold], ['predicted', predicted]] as const) {
    list.forEach((label, i) => {
      if (!known.has(label)) {
        throw new RangeError(`multiClassReport: ${name}[${i}] is ${typeof label === 'string' ? JSON.stringify(label) : describeType(label)}, which is not one of the classes (${classes.map(String).join(', ')})`);
      }
    });
  }
  // Built with fromEntries (own keys only), so a class named "__proto__" or "constructor" is an ordinary row.
  const confusion: Record<string, Record<string, number>> = Object.fromEntries(classes.map((g) => [g, Object.fromEntries(classes.map((p) => [p, 0]))]));
  let correct = 0;
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    if (g === p) correct++;
    const row = confusion[g]!;
    row[p] = row[p]! + 1;
  });
  const perClass: Record<string, PRF> = Object.fromEntries(classes.map((c) => [c, binaryPRF(gold.map((g) => g === c), predicted.map((p) => p === c))]));
  const macroF1 = classes.reduce((s, c) => s + perClass[c]!.f1, 0) / Math.max(1, classes.length);
  return { accuracy: gold.length === 0 ? 0 : correct / gold.length, perClass, macroF1, confusion };
}

/** Mean squared error of probabilities against 0/1 outcomes. */
export function brierScore(probabilities: readonly number[], outcomes: readonly boolean[]): number {
  assertArray(probabilities, 'brierScore (probabilities)');
  assertArray(outcomes, 'brierScore (outcomes)');
  assertSameLength(probabilities, outcomes, 'brierScore');
  probabilities.forEach((p, i) => assertProbability(p, `brierScore (probabilities[${i}])`));
  if (probabilities.length === 0) return NaN;
  return probabilities.reduce((s, p, i) => s + (p - (outcomes[i] ? 1 : 0)) ** 2, 0) / probabilities.length;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observed: number;
}

export function reliabilityCurve(probabilities: readonly number[], outcomes: readonly boolean[], bins = 10): ReliabilityBin[] {
  assertArray(probabilities, 'reliabilityCurve (probabilities)');
  assertArray(outcomes, 'reliabilityCurve (outcomes)');
  assertSameLength(probabilities, outcomes, 'reliabilityCurve');
  assertInteger(bins, 'reliabilityCurve (bins)', 1);
  probabilities.forEach((p, i) => assertProbability(p, `reliabilityCurve (probabilities[${i}])`));
  const out: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({ lower: i / bins, upper: (i + 1) / bins, count: 0, meanPredicted: 0, observed: 0 }));
  probabilities.forEach((p, i) => {
    const b = out[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))]!;
    b.count++;
    b.meanPredicted += p;
    b.observed += outcomes[i] ? 1 : 0;
  });
  for (const b of out) if (b.count > 0) {
    b.meanPredicted /= b.count;
    b.observed /= b.count;
  }
  return out;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const r = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.v === order[i]!.v) j++;
    for (let k = i; k <= j; k++) r[order[k]!.i] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation with average ranks for ties. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  assertArray(x, 'spearman (x)');
  assertArray(y, 'spearman (y)');
  assertSameLength(x, y, 'spearman');
  if (x.length < 3) return NaN;
  const rx = ranks(x), ry = ranks(y);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = mean(rx), my = mean(ry);
  let num = 0, dx = 0, dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += (rx[i]! - mx) * (ry[i]! - my);
    dx += (rx[i]! - mx) ** 2;
    dy += (ry[i]! - my) ** 2;
  }
  return dx === 0 || dy === 0 ? NaN : num / Math.sqrt(dx * dy);
}
