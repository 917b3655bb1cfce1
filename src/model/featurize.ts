/**
 * The model's side of feature extraction: features go straight to weight rows.
 * Per model, every stem in the vocabulary gets a small integer id, and unigram,
 * negation and bigram rows are looked up by id, so classifying a sentence
 * builds no feature-name strings. Features the model never saw are skipped,
 * exactly as a name lookup would skip them, and rows keep first-occurrence
 * order, so scores equal scoreHeads(extractFeatures(...)) to the last bit.
 */
import { LENGTH_FEATURES, RULE_SCORE_FEATURES, clamp, lengthBucket, ruleScoreValues, type FeatureContext } from '../features/extract.js';
import type { RuleAnalysis } from '../rules/analyse.js';
import type { Lexeme } from '../rules/tokens.js';
import type { CompiledModel } from './model.js';
import type { Evidence } from '../schemas.js';

/** A sentence's features as model rows and values, in first-occurrence order. */
export interface SparseFeatures {
  rows: number[];
  values: number[];
}

interface Featurizer {
  /** Tells this featurizer's stem ids apart from others' on a lexeme (never 0). */
  serial: number;
  stemIds: Map<string, number>;
  /** The stem id of "^" (the sentence start in bigrams), or -1. */
  startId: number;
  /** Scratch: per token of the current sentence, its word's stem id or -1 (punctuation: unset). */
  tokenIds: Int32Array;
  unigramRow: Int32Array;
  negatedRow: Int32Array;
  bigramRow: PairTable;
  ruleRow: Map<string, number>;
  ruleThemeRow: Map<string, number>;
  headingRow: Map<string, number>;
  /** Rows of the fixed named features (-1: not in the vocabulary): bias, then ROW_NAMES' rs: and len: features. */
  biasRow: number;
  fixedRows: Int32Array;
  /** Scratch for the sentence's rule-score values. */
  ruleScores: number[];
  /** Rows of k:<kind> by kind. */
  kindRow: Map<string, number>;
  /**
   * Scratch, per row r: at 2r the sentence (by number) that last used it, at 2r + 1
   * its place in that sentence's rows (side by side: one cache line), so a feature
   * seen again adds to its value in place and nothing needs clearing between sentences.
   */
  seen: Int32Array;
  sentence: number;
  /** Scratch: per feature k and head h, at k * heads + h, its weight times its value, from scoreAllHeads for `productsOf`. */
  products: Float64Array;
  productsOf: SparseFeatures | undefined;
  values: number[];
  rows: number[];
}

/**
 * Bigram rows by (stem id, stem id): open addressing over one typed array of
 * (first, second, row, unused) cells, so a probe reads one cache line. Most
 * bigrams in a sentence are not in the vocabulary, and a miss here costs one or
 * two probes, far less than a Map lookup.
 */
interface PairTable {
  mask: number;
  cells: Int32Array;
}

function slotOf(a: number, b: number, mask: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
}

/** Pairs as three parallel arrays (first stem id, second stem id, row), n of them. */
function buildPairTable(first: Int32Array, second: Int32Array, rows: Int32Array, n: number): PairTable {
  let size = 16;
  while (size < n * 2) size *= 2;
  const table: PairTable = { mask: size - 1, cells: new Int32Array(4 * size).fill(-1) };
  const cells = table.cells;
  for (let k = 0; k < n; k++) {
    const a = first[k]!;
    const b = second[k]!;
    let i = slotOf(a, b, table.mask);
    while (cells[4 * i] !== -1 && !(cells[4 * i] === a && cells[4 * i + 1] === b)) i = (i + 1) & table.mask;
    cells[4 * i] = a;
    cells[4 * i + 1] = b;
    cells[4 * i + 2] = rows[k]!;
  }
  return table;
}

function pairRow(table: PairTable, a: number, b: number): number {
  const cells = table.cells;
  for (let i = slotOf(a, b, table.mask); ; i = (i + 1) & table.mask) {
    const first = cells[4 * i]!;
    if (first === -1) return -1;
    if (first === a && cells[4 * i + 1] === b) return cells[4 * i + 2]!;
  }
}

const featurizers = new WeakMap<CompiledModel, Featurizer>();
let featurizerCount = 0;

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
  // The rows classifying needs by name are found here too, so the model's full name → row map is never built.
  // None of those names ('bias', rs:…, len:…, k:…) has ':' second, so none can take the u:/n:/b: branches.
  const prefixed = new Map<string, Map<string, number>>([['r:', new Map()], ['rs:theme:', new Map()], ['h:', new Map()], ['k:', new Map()]]);
  const named = new Map<string, number>();
  for (const name of ['bias', ...FIXED_NAMES]) named.set(name, -1);
  const pairRows: number[] = [];
  const stemRows: number[] = [];
  const stemRowIds: number[] = [];
  for (let row = 0; row < V; row++) {
    const name = vocabulary[row]!;
    const tag = name.charCodeAt(0);
    if (name.charCodeAt(1) === 58 /* : */ && (tag === 117 /* u */ || tag === 110 /* n */)) {
      stemRowIds.push(idOf(name.slice(2)));
      stemRows.push(row);
    } else if (name.startsWith('b:')) pairRows.push(row);
    else {
      for (const [prefix, map] of prefixed) if (name.startsWith(prefix)) map.set(name.slice(prefix.length), row);
      if (named.has(name)) named.set(name, row);
    }
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
  stemRows.forEach((row, k) => {
    (vocabulary[row]!.charCodeAt(0) === 117 ? unigramRow : negatedRow)[stemRowIds[k]!] = row;
  });
  const bigramRow = buildPairTable(pairFirst, pairSecond, pairTarget, n);

  return {
    serial: ++featurizerCount,
    stemIds,
    startId: stemIds.get('^') ?? -1,
    tokenIds: new Int32Array(64),
    unigramRow,
    negatedRow,
    bigramRow,
    ruleRow: prefixed.get('r:')!,
    ruleThemeRow: prefixed.get('rs:theme:')!,
    headingRow: prefixed.get('h:')!,
    biasRow: named.get('bias')!,
    fixedRows: Int32Array.from(FIXED_NAMES, (name) => named.get(name)!),
    ruleScores: [],
    kindRow: prefixed.get('k:')!,
    seen: new Int32Array(2 * V),
    sentence: 0,
    products: new Float64Array(64 * compiled.heads),
    productsOf: undefined,
    values: [],
    rows: [],
  };
}

/**
 * Each word token's stem id (numbers share the stem "#"), into f.tokenIds. With the
 * sentence's lexemes (from the shared lexicon), a word's id is kept on its lexeme
 * for the last featurizer seen, so a sentence costs no map lookups for known words.
 */
function fillTokenIds(f: Featurizer, tokens: RuleAnalysis['tokens'], lexemes: readonly Lexeme[] | undefined): void {
  if (f.tokenIds.length < tokens.length) f.tokenIds = new Int32Array(Math.max(tokens.length, 2 * f.tokenIds.length));
  const ids = f.tokenIds;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct') continue;
    const lexeme = lexemes?.[i];
    if (lexeme !== undefined && lexeme.stemIdOf === f.serial) {
      ids[i] = lexeme.stemId;
      continue;
    }
    const id = f.stemIds.get(token.kind === 'number' ? '#' : token.stem) ?? -1;
    ids[i] = id;
    if (lexeme !== undefined) {
      lexeme.stemIdOf = f.serial;
      lexeme.stemId = id;
    }
  }
}

/** Adds `value` to the row's feature (a row < 0 is a feature the model does not know: skipped). */
function addRow(f: Featurizer, row: number, value: number): void {
  if (row < 0) return;
  const seen = f.seen;
  if (seen[2 * row] !== f.sentence) {
    // First sight: 0 + value, exactly the sum an accumulator starting at 0 would hold (-0 becomes 0).
    seen[2 * row] = f.sentence;
    seen[2 * row + 1] = f.rows.length;
    f.rows.push(row);
    f.values.push(0 + value);
  } else {
    const at = seen[2 * row + 1]!;
    f.values[at] = f.values[at]! + value;
  }
}

/** Named features with a fixed name, in the order visitFeatures adds them (after bias). */
const FIXED_NAMES = [...RULE_SCORE_FEATURES, 'rs:recommendation', ...LENGTH_FEATURES];
const RECOMMENDATION_AT = RULE_SCORE_FEATURES.length;
const LEN_AT = RECOMMENDATION_AT + 1;

/**
 * The sentence's features that the model knows, as rows. `lexemes`, when given, are the analysis's tokens' lexemes.
 * The same features, values and first-occurrence order as visitFeatures (features/extract.ts, which defines
 * them; the model tests hold the two together), walked here directly and by row: no feature names, no callbacks.
 */
export function featurizeForModel(compiled: CompiledModel, analysis: RuleAnalysis, context: FeatureContext, lexemes?: readonly Lexeme[]): SparseFeatures {
  const f = featurizerOf(compiled);
  const tokens = analysis.tokens;
  fillTokenIds(f, tokens, lexemes);
  if (++f.sentence === 0x7fffffff) {
    f.seen.fill(0);
    f.sentence = 1;
  }
  const rows: number[] = [];
  const values: number[] = [];
  f.rows = rows;
  f.values = values;
  const config = compiled.model.features;
  const ids = f.tokenIds;
  addRow(f, f.biasRow, 1);
  let words = 0;
  let firstToken = -1;
  // The previous word's token, or -1 at the start and after punctuation (no bigram across it).
  let previousToken = -1;
  const negated = analysis.negated;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.kind === 'punct') {
      previousToken = -1;
      continue;
    }
    if (words++ === 0) firstToken = i;
    const id = ids[i]!;
    if (config.unigrams && id >= 0) addRow(f, f.unigramRow[id]!, 1);
    if (config.bigrams && previousToken >= 0) {
      const a = ids[previousToken]!;
      if (a >= 0 && id >= 0) addRow(f, pairRow(f.bigramRow, a, id), 1);
    }
    if (config.negation && negated[i] && id >= 0) addRow(f, f.negatedRow[id]!, 1);
    previousToken = i;
  }
  if (config.bigrams && firstToken >= 0) {
    const b = ids[firstToken]!;
    if (f.startId >= 0 && b >= 0) addRow(f, pairRow(f.bigramRow, f.startId, b), 1);
  }
  const fixed = f.fixedRows;
  if (config.rules) {
    for (const e of analysis.evidence) if (e.kind === 'rule') addRow(f, f.ruleRow.get(e.source) ?? -1, 1);
    for (const [theme, score] of analysis.themeScores) addRow(f, f.ruleThemeRow.get(theme) ?? -1, clamp(score, -3, 6) / 3);
    const scores = ruleScoreValues(analysis, f.ruleScores);
    for (let k = 0; k < RULE_SCORE_FEATURES.length; k++) addRow(f, fixed[k]!, scores[k]!);
    if (analysis.recommendation) addRow(f, fixed[RECOMMENDATION_AT]!, 1);
  }
  if (config.heading && context.headingTokens) {
    for (const t of context.headingTokens) {
      if (t.kind !== 'word') continue;
      const row = f.headingRow.get(t.stem);
      if (row === undefined) continue;
      // Heading stems count once: the value is 1 however often the stem occurs.
      addRow(f, row, 0);
      values[f.seen[2 * row + 1]!] = 1;
    }
  }
  if (config.kind) {
    addRow(f, f.kindRow.get(context.kind ?? 'text') ?? -1, 1);
    addRow(f, fixed[LEN_AT + lengthBucket(words)]!, 1);
  }
  // A very long sentence's ids are not kept.
  if (f.tokenIds.length > 4096) f.tokenIds = new Int32Array(64);
  return { rows, values };
}

/** Products beyond this many numbers (a huge sentence) are not kept after the call. */
const PRODUCTS_KEEP = 1 << 16;

function featurizerOf(compiled: CompiledModel): Featurizer {
  let f = featurizers.get(compiled);
  if (!f) featurizers.set(compiled, (f = buildFeaturizer(compiled)));
  return f;
}

/**
 * Raw scores of every head into out[0..heads), in one pass over the rows: each head's
 * sum is the same additions in the same (row) order as scoreHeads over named features. Each product
 * is kept, so pushTopContributions for these features reads them instead of the weights.
 */
export function scoreAllHeads(compiled: CompiledModel, features: SparseFeatures, out: Float64Array): void {
  const f = featurizerOf(compiled);
  const H = compiled.heads;
  const w = compiled.weights;
  const { rows, values } = features;
  const n = rows.length;
  if (f.products.length < n * H) f.products = new Float64Array(Math.max(n * H, 2 * f.products.length));
  const products = f.products;
  // Four heads share a pass over the rows, each with its own running sum.
  let h = 0;
  for (; h + 4 <= H; h += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < n; k++) {
      const at = rows[k]! * H + h;
      const to = k * H + h;
      const value = values[k]!;
      s0 += products[to] = w[at]! * value;
      s1 += products[to + 1] = w[at + 1]! * value;
      s2 += products[to + 2] = w[at + 2]! * value;
      s3 += products[to + 3] = w[at + 3]! * value;
    }
    out[h] = s0;
    out[h + 1] = s1;
    out[h + 2] = s2;
    out[h + 3] = s3;
  }
  for (; h < H; h++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += products[k * H + h] = w[rows[k]! * H + h]! * values[k]!;
    out[h] = sum;
  }
  f.productsOf = features;
}

/** Lets go of the products of the last features scored (a huge sentence's are dropped). */
export function releaseProducts(compiled: CompiledModel): void {
  const f = featurizerOf(compiled);
  f.productsOf = undefined;
  if (f.products.length > PRODUCTS_KEEP) f.products = new Float64Array(64 * compiled.heads);
}

/** A model feature as evidence: its source ("model:" + name) and text (the name after its prefix), made once per row. */
interface RowNames {
  source: string[];
  text: string[];
}

const rowNames = new WeakMap<CompiledModel, RowNames>();

function rowNamesOf(compiled: CompiledModel): RowNames {
  let names = rowNames.get(compiled);
  if (!names) rowNames.set(compiled, (names = { source: new Array<string>(compiled.model.vocabulary.length), text: new Array<string>(compiled.model.vocabulary.length) }));
  return names;
}

/**
 * Pushes onto `out`, as model evidence for `target`, the features that contributed most
 * to one head's score (positively; bias excluded), strongest first, ties by name.
 */
export function pushTopContributions(compiled: CompiledModel, features: SparseFeatures, head: number, limit: number, target: string, out: Evidence[]): void {
  const H = compiled.heads;
  const weights = compiled.weights;
  const vocabulary = compiled.model.vocabulary;
  const { rows, values } = features;
  // The products scoreAllHeads kept for these features, when it scored them last.
  const f = featurizerOf(compiled);
  // Features reach "bias" through this row only (the last, were a hand-made vocabulary to repeat the name, as a name → row map gives).
  const biasRow = f.biasRow;
  const products = f.productsOf === features ? f.products : undefined;
  // A small sorted top-k (limit is 3 in practice) of rows and weights: names are read only to break ties.
  const topRows: number[] = [];
  const topWeights: number[] = [];
  const outranks = (size: number, row: number, at: number) => {
    const than = Math.abs(topWeights[at]!);
    return size > than || (size === than && vocabulary[row]! < vocabulary[topRows[at]!]!);
  };
  // Once the list is full, a row weaker than its last entry is out at once (most rows are).
  let floor = -1;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    const weight = products !== undefined ? products[k * H + head]! : weights[row * H + head]! * values[k]!;
    if (!(weight > 0)) continue;
    const size = Math.abs(weight);
    if (size < floor) continue;
    if (topRows.length === limit && !outranks(size, row, limit - 1)) continue;
    if (row === biasRow) continue;
    let at = topRows.length;
    while (at > 0 && outranks(size, row, at - 1)) at--;
    // Insert at `at`, dropping the last when full (splice is a runtime call; these lists hold three).
    let j = topRows.length < limit ? topRows.length : limit - 1;
    for (; j > at; j--) {
      topRows[j] = topRows[j - 1]!;
      topWeights[j] = topWeights[j - 1]!;
    }
    topRows[at] = row;
    topWeights[at] = weight;
    if (topRows.length === limit) floor = Math.abs(topWeights[limit - 1]!);
  }
  if (topRows.length === 0) return;
  const names = rowNamesOf(compiled);
  for (let k = 0; k < topRows.length; k++) {
    const row = topRows[k]!;
    let source = names.source[row];
    let text = names.text[row];
    if (source === undefined || text === undefined) {
      const feature = vocabulary[row]!;
      names.source[row] = source = `model:${feature}`;
      names.text[row] = text = feature.slice(feature.indexOf(':') + 1);
    }
    out.push({ source, kind: 'model', target, text, weight: Math.round(topWeights[k]! * 1000) / 1000 });
  }
}
