/**
 * The model's side of feature extraction: features go straight to weight rows.
 * Per model, every stem in the vocabulary gets a small integer id, and unigram,
 * negation and bigram rows are looked up by id, so classifying a sentence
 * builds no feature-name strings. Features the model never saw are skipped,
 * exactly as a name lookup would skip them, and rows keep first-occurrence
 * order, so scores equal scoreHeads(extractFeatures(...)) to the last bit.
 */
import { visitFeatures, type FeatureContext, type FeatureSink } from '../features/extract.js';
import type { RuleAnalysis } from '../rules/analyse.js';
import type { CompiledModel } from './model.js';

/** A sentence's features as model rows and values, in first-occurrence order. */
export interface SparseFeatures {
  rows: number[];
  values: number[];
}

interface Featurizer {
  stemIds: Map<string, number>;
  unigramRow: Int32Array;
  negatedRow: Int32Array;
  bigramRow: PairTable;
  ruleRow: Map<string, number>;
  ruleThemeRow: Map<string, number>;
  headingRow: Map<string, number>;
  /** Scratch accumulator: value per row, and whether the row is in the current sentence. */
  value: Float64Array;
  present: Uint8Array;
  sink: FeatureSink;
  rows: number[];
}

/**
 * Bigram rows by (stem id, stem id): open addressing over typed arrays. Most
 * bigrams in a sentence are not in the vocabulary, and a miss here costs one or
 * two probes, far less than a Map lookup.
 */
interface PairTable {
  mask: number;
  first: Int32Array;
  second: Int32Array;
  row: Int32Array;
}

function slotOf(a: number, b: number, mask: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
}

/** Pairs as three parallel arrays (first stem id, second stem id, row), n of them. */
function buildPairTable(first: Int32Array, second: Int32Array, rows: Int32Array, n: number): PairTable {
  let size = 16;
  while (size < n * 2) size *= 2;
  const table: PairTable = { mask: size - 1, first: new Int32Array(size).fill(-1), second: new Int32Array(size), row: new Int32Array(size) };
  for (let k = 0; k < n; k++) {
    const a = first[k]!;
    const b = second[k]!;
    let i = slotOf(a, b, table.mask);
    while (table.first[i] !== -1 && !(table.first[i] === a && table.second[i] === b)) i = (i + 1) & table.mask;
    table.first[i] = a;
    table.second[i] = b;
    table.row[i] = rows[k]!;
  }
  return table;
}

function pairRow(table: PairTable, a: number, b: number): number {
  for (let i = slotOf(a, b, table.mask); ; i = (i + 1) & table.mask) {
    const first = table.first[i]!;
    if (first === -1) return -1;
    if (first === a && table.second[i] === b) return table.row[i]!;
  }
}

const featurizers = new WeakMap<CompiledModel, Featurizer>();

function buildFeaturizer(compiled: CompiledModel): Featurizer {
  const vocabulary = compiled.model.vocabulary;
  const stemIds = new Map<string, number>();
  const idOf = (stem: string) => {
    let id = stemIds.get(stem);
    if (id === undefined) stemIds.set(stem, (id = stemIds.size));
    return id;
  };
  const V = vocabulary.length;
  // One pass, no per-entry objects: this runs on a cold start's first call.
  // Stem ids are given to unigram and negation stems first, then to bigram stems, in vocabulary order.
  const prefixed = new Map<string, Map<string, number>>([['r:', new Map()], ['rs:theme:', new Map()], ['h:', new Map()]]);
  const pairRows: number[] = [];
  const stemRows: number[] = [];
  for (let row = 0; row < V; row++) {
    const name = vocabulary[row]!;
    const tag = name.charCodeAt(0);
    if (name.charCodeAt(1) === 58 /* : */ && (tag === 117 /* u */ || tag === 110 /* n */)) {
      idOf(name.slice(2));
      stemRows.push(row);
    } else if (name.startsWith('b:')) pairRows.push(row);
    else for (const [prefix, map] of prefixed) if (name.startsWith(prefix)) map.set(name.slice(prefix.length), row);
  }
  // Stems never contain "_" (tokens are letters, digits or one punctuation mark), so the first "_" splits a pair.
  const P = pairRows.length;
  const pairFirst = new Int32Array(P);
  const pairSecond = new Int32Array(P);
  const pairTarget = new Int32Array(P);
  let n = 0;
  for (const row of pairRows) {
    const name = vocabulary[row]!;
    const cut = name.indexOf('_', 2);
    if (cut <= 2) continue;
    pairFirst[n] = idOf(name.slice(2, cut));
    pairSecond[n] = idOf(name.slice(cut + 1));
    pairTarget[n++] = row;
  }
  const S = stemIds.size;
  const unigramRow = new Int32Array(S).fill(-1);
  const negatedRow = new Int32Array(S).fill(-1);
  for (const row of stemRows) {
    const name = vocabulary[row]!;
    (name.charCodeAt(0) === 117 ? unigramRow : negatedRow)[stemIds.get(name.slice(2))!] = row;
  }
  const bigramRow = buildPairTable(pairFirst, pairSecond, pairTarget, n);

  const f: Featurizer = {
    stemIds,
    unigramRow,
    negatedRow,
    bigramRow,
    ruleRow: prefixed.get('r:')!,
    ruleThemeRow: prefixed.get('rs:theme:')!,
    headingRow: prefixed.get('h:')!,
    value: new Float64Array(V),
    present: new Uint8Array(V),
    rows: [],
    sink: undefined as unknown as FeatureSink,
  };
  const add = (row: number | undefined, value: number) => {
    if (row === undefined || row < 0) return;
    if (f.present[row] === 0) {
      f.present[row] = 1;
      f.rows.push(row);
    }
    f.value[row] = f.value[row]! + value;
  };
  f.sink = {
    unigram(stem) {
      const id = stemIds.get(stem);
      if (id !== undefined) add(unigramRow[id], 1);
    },
    negated(stem) {
      const id = stemIds.get(stem);
      if (id !== undefined) add(negatedRow[id], 1);
    },
    bigram(previous, stem) {
      const a = stemIds.get(previous);
      const b = stemIds.get(stem);
      if (a !== undefined && b !== undefined) add(pairRow(bigramRow, a, b), 1);
    },
    rule: (ruleId) => add(f.ruleRow.get(ruleId), 1),
    ruleTheme: (theme, value) => add(f.ruleThemeRow.get(theme), value),
    heading(stem) {
      const row = f.headingRow.get(stem);
      if (row === undefined) return;
      add(row, 0);
      f.value[row] = 1;
    },
    add: (name, value) => add(compiled.index.get(name), value),
  };
  return f;
}

/** The sentence's features that the model knows, as rows. */
export function featurizeForModel(compiled: CompiledModel, analysis: RuleAnalysis, context: FeatureContext): SparseFeatures {
  let f = featurizers.get(compiled);
  if (!f) featurizers.set(compiled, (f = buildFeaturizer(compiled)));
  f.rows = [];
  const rows = f.rows;
  const values = new Array<number>();
  try {
    visitFeatures(analysis, compiled.model.features, context, f.sink);
    for (let k = 0; k < rows.length; k++) values.push(f.value[rows[k]!]!);
  } finally {
    // The scratch arrays are shared: leave them clean whatever happened.
    for (const row of rows) {
      f.value[row] = 0;
      f.present[row] = 0;
    }
  }
  return { rows, values };
}

/** Raw scores of every head: the same sums, in the same order, as scoreHeads over named features. */
export function scoreRows(compiled: CompiledModel, features: SparseFeatures): Float64Array {
  const H = compiled.heads;
  const w = compiled.weights;
  const out = new Float64Array(H);
  const { rows, values } = features;
  for (let k = 0; k < rows.length; k++) {
    const base = rows[k]! * H;
    const value = values[k]!;
    for (let h = 0; h < H; h++) out[h] = out[h]! + w[base + h]! * value;
  }
  return out;
}

/** The features that contributed most to one head's score (bias excluded), strongest first; ties by name. */
export function topRowContributions(compiled: CompiledModel, features: SparseFeatures, head: number, sign: 1 | -1, limit: number): Array<{ feature: string; weight: number }> {
  const H = compiled.heads;
  const vocabulary = compiled.model.vocabulary;
  const { rows, values } = features;
  // A small sorted top-k (limit is 3 in practice): no per-feature objects, no full sort.
  const top: Array<{ feature: string; weight: number }> = [];
  const outranks = (weight: number, row: number, than: { feature: string; weight: number }) => {
    const a = Math.abs(weight);
    const b = Math.abs(than.weight);
    return a > b || (a === b && vocabulary[row]! < than.feature);
  };
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    const weight = compiled.weights[row * H + head]! * values[k]!;
    if (!(weight * sign > 0)) continue;
    if (top.length === limit && !outranks(weight, row, top[limit - 1]!)) continue;
    const feature = vocabulary[row]!;
    if (feature === 'bias') continue;
    let at = top.length;
    while (at > 0 && outranks(weight, row, top[at - 1]!)) at--;
    top.splice(at, 0, { feature, weight });
    if (top.length > limit) top.pop();
  }
  return top;
}
