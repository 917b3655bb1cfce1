/**
 * Run a compiled rule set over a token sequence. A Pike-style simulation:
 * the live set holds each automaton state at most once (with its earliest
 * start), so one token costs at most (number of states) steps whatever the
 * patterns are, and the whole match is linear in the sentence.
 */
import type { CompiledRules } from './compile.js';
import type { PatternElement } from './pattern.js';
import type { Lexeme, Token } from './tokens.js';

export interface RuleHit {
  rule: number;
  /** Token range [start, end). */
  tokenStart: number;
  tokenEnd: number;
}

/** What the matcher reads of a token: its forms, not its span. */
export type TokenForm = Pick<Token, 'norm' | 'stem' | 'kind'>;

function elementMatches(element: PatternElement, token: TokenForm): boolean {
  for (const alt of element.alts) {
    switch (alt.type) {
      case 'any':
        return true;
      case 'number':
        if (token.kind === 'number') return true;
        break;
      case 'stem':
        if (token.stem === alt.value) return true;
        break;
      case 'exact':
        if (token.norm === alt.value) return true;
        break;
      case 'prefix':
        if (token.norm.startsWith(alt.value)) return true;
        break;
    }
  }
  return false;
}

/**
 * A word's states in one rule set are a record in the rule set's pool of words:
 * where the word enters the automaton, and every state it advances (those that
 * can be live whose element it matches, 'any' elements aside), so stepping the
 * live set is an array lookup per state instead of a test of each alternative.
 * Record: [entry count E, match count M, E entries, M matches]; M is -1 (none
 * listed) for a word matching more than MATCH_SET_LIMIT states (only hostile
 * packs do this): such words are tested element by element, which keeps every
 * record small. One pool (not an array per word) keeps the records together in memory.
 */
const MATCH_SET_LIMIT = 128;
/** Prefix alternatives scanned per new word, at most; a longer bucket means testing element by element. */
const PREFIX_SCAN_LIMIT = 512;
/** Raw-hit scratch beyond this many hits (a hostile pack on a huge sentence) is not kept after the call. */
const HIT_SCRATCH_KEEP = 1 << 16;

/** The alternatives of every state that can be live (all but patterns' first states), by kind, as entryByStem etc. index entry elements. */
interface StateIndex {
  byStem: Map<string, number[]>;
  byExact: Map<string, number[]>;
  /** Prefix alternatives by their first two characters (the pattern syntax needs at least two). */
  byPrefix: Map<string, Array<{ prefix: string; state: number }>>;
  /** Prefix alternatives shorter than two characters: none from the pattern parser, kept for safety. */
  shortPrefixes: Array<{ prefix: string; state: number }>;
  byNumber: number[];
}

/**
 * Per rule set: derived tables and each form's states (bounded like the lexicon),
 * plus scratch space reused across calls (matching is synchronous).
 */
interface MatchCache {
  /** Word records by form (see wordStatesFor): their offsets in `pool`, which holds `poolSize` numbers. */
  byNorm: Map<string, number>;
  pool: Int32Array;
  poolSize: number;
  /** Names this pool on lexemes (which keep their record's offset); a new serial when the pool is emptied. */
  serial: number;
  index: StateIndex;
  /** Per state: 1 when its element has an 'any' alternative (gaps; states that can be live only), 1 when optional. */
  matchesAny: Uint8Array;
  optional: Uint8Array;
  /**
   * The live set (states advanced by the previous token) and the next set (being
   * built), as (state, start) arrays; per state, the generation that last added it
   * to the next set and its slot there, and the generation whose token matched it.
   * A set never holds a state twice, so states' count bounds it.
   */
  liveStates: Int32Array;
  liveStarts: Int32Array;
  nextStates: Int32Array;
  nextStarts: Int32Array;
  nextCount: number;
  stamp: Int32Array;
  slot: Int32Array;
  matchedAt: Int32Array;
  generation: number;
  /** Raw hits of one call as (rule, start, end) triples, and per rule the end of its last kept hit. */
  hitRule: Int32Array;
  hitStart: Int32Array;
  hitEnd: Int32Array;
  hitCount: number;
  lastEnd: Int32Array;
  lastEndStamp: Int32Array;
  call: number;
}

const ENTRY_CACHE_LIMIT = 50_000;
/** Numbers a pool may hold before it is emptied (unless one record alone needs more). */
const POOL_LIMIT = 1 << 21;
let poolSerials = 0;
const matchCaches = new WeakMap<CompiledRules, MatchCache>();

function push<K>(map: Map<K, number[]>, key: K, state: number): void {
  const list = map.get(key);
  if (list) list.push(state);
  else map.set(key, [state]);
}

function buildMatchCache(rules: CompiledRules): MatchCache {
  const { elements } = rules;
  const n = elements.length;
  const index: StateIndex = { byStem: new Map(), byExact: new Map(), byPrefix: new Map(), shortPrefixes: [], byNumber: [] };
  const matchesAny = new Uint8Array(n + 1);
  const optional = new Uint8Array(n + 1);
  for (let state = 0; state < n; state++) {
    const element = elements[state];
    if (element === undefined) continue;
    if (element.optional) optional[state] = 1;
    // A pattern's first state is only ever entered at (entries), never live: no need to index it.
    if (state === 0 || elements[state - 1] === undefined) continue;
    for (const alt of element.alts) {
      if (alt.type === 'any') matchesAny[state] = 1;
      else if (alt.type === 'number') index.byNumber.push(state);
      else if (alt.type === 'stem') push(index.byStem, alt.value, state);
      else if (alt.type === 'exact') push(index.byExact, alt.value, state);
      else if (alt.value.length < 2) index.shortPrefixes.push({ prefix: alt.value, state });
      else {
        const key = alt.value.slice(0, 2);
        const list = index.byPrefix.get(key);
        if (list) list.push({ prefix: alt.value, state });
        else index.byPrefix.set(key, [{ prefix: alt.value, state }]);
      }
    }
  }
  const R = rules.rules.length;
  return {
    byNorm: new Map(),
    pool: new Int32Array(1 << 12),
    poolSize: 0,
    serial: ++poolSerials,
    index,
    matchesAny,
    optional,
    liveStates: new Int32Array(n + 1),
    liveStarts: new Int32Array(n + 1),
    nextStates: new Int32Array(n + 1),
    nextStarts: new Int32Array(n + 1),
    nextCount: 0,
    stamp: new Int32Array(n + 1),
    slot: new Int32Array(n + 1),
    matchedAt: new Int32Array(n + 1),
    generation: 0,
    hitRule: new Int32Array(16),
    hitStart: new Int32Array(16),
    hitEnd: new Int32Array(16),
    hitCount: 0,
    lastEnd: new Int32Array(R),
    lastEndStamp: new Int32Array(R),
    call: 0,
  };
}

function matchCacheOf(rules: CompiledRules): MatchCache {
  let cache = matchCaches.get(rules);
  if (!cache) matchCaches.set(rules, (cache = buildMatchCache(rules)));
  return cache;
}

function entriesOf(rules: CompiledRules, token: TokenForm): number[] {
  const found: number[] = [];
  const candidates = [rules.entryByStem.get(token.stem), token.norm !== token.stem ? rules.entryByStem.get(token.norm) : undefined, rules.entryByExact.get(token.norm)];
  for (const list of candidates) if (list) for (const state of list) if (elementMatches(rules.elements[state]!, token)) found.push(state);
  if (token.kind === 'number') found.push(...rules.entryByNumber);
  const prefixed = rules.entryByPrefix.get(token.norm.slice(0, 2));
  if (prefixed) for (const { prefix, state } of prefixed) if (token.norm.startsWith(prefix)) found.push(state);
  return found;
}

/**
 * Every state that can be live (but 'any' ones) whose element `token` matches: exactly
 * those elementMatches accepts. Undefined (test element by element, which is always
 * right) past MATCH_SET_LIMIT states, or when the word's prefix bucket is too long to
 * scan for every new word (only hostile packs have either).
 */
function matchesOf(index: StateIndex, token: TokenForm): Set<number> | undefined {
  const found = new Set<number>();
  const add = (list: readonly number[] | undefined): boolean => {
    if (list) for (const state of list) if (found.add(state).size > MATCH_SET_LIMIT) return false;
    return true;
  };
  if (!add(index.byStem.get(token.stem)) || !add(index.byExact.get(token.norm))) return undefined;
  if (token.kind === 'number' && !add(index.byNumber)) return undefined;
  const prefixed = index.byPrefix.get(token.norm.slice(0, 2));
  if (prefixed) {
    if (prefixed.length > PREFIX_SCAN_LIMIT) return undefined;
    for (const { prefix, state } of prefixed) if (token.norm.startsWith(prefix) && found.add(state).size > MATCH_SET_LIMIT) return undefined;
  }
  if (index.shortPrefixes.length > PREFIX_SCAN_LIMIT) return undefined;
  for (const { prefix, state } of index.shortPrefixes) if (token.norm.startsWith(prefix) && found.add(state).size > MATCH_SET_LIMIT) return undefined;
  return found;
}

/** Adds the word's record to the pool (emptying the pool first when it is full); returns its offset. */
function addWordRecord(rules: CompiledRules, cache: MatchCache, token: TokenForm): number {
  const entries = entriesOf(rules, token);
  const matches = matchesOf(cache.index, token);
  const length = 2 + entries.length + (matches?.size ?? 0);
  if (cache.poolSize + length > cache.pool.length) {
    if (cache.byNorm.size >= ENTRY_CACHE_LIMIT || 2 * cache.pool.length > POOL_LIMIT) emptyPool(cache);
    if (cache.poolSize + length > cache.pool.length) {
      const grown = new Int32Array(Math.max(2 * cache.pool.length, cache.poolSize + length));
      grown.set(cache.pool.subarray(0, cache.poolSize));
      cache.pool = grown;
    }
  } else if (cache.byNorm.size >= ENTRY_CACHE_LIMIT) emptyPool(cache);
  const at = cache.poolSize;
  const pool = cache.pool;
  pool[at] = entries.length;
  pool[at + 1] = matches === undefined ? -1 : matches.size;
  pool.set(entries, at + 2);
  if (matches !== undefined) pool.set([...matches], at + 2 + entries.length);
  cache.poolSize = at + length;
  return at;
}

/** Forget every word record: lexemes holding the old serial will look their words up again. */
function emptyPool(cache: MatchCache): void {
  cache.byNorm.clear();
  cache.poolSize = 0;
  cache.serial = ++poolSerials;
}

/** The offset of the word's record in cache.pool. */
function wordStatesFor(rules: CompiledRules, cache: MatchCache, token: TokenForm): number {
  // The states depend on the kind (number or not), the form and the stem; all are in the key, so tokens
  // built by a caller (analyseSentence accepts heading tokens) can never leave wrong states for other sentences.
  const key = (token.kind === 'number' ? '#' : '') + (token.stem === token.norm ? token.norm : token.norm + '\u0000' + token.stem);
  let at = cache.byNorm.get(key);
  if (at !== undefined) return at;
  at = addWordRecord(rules, cache, token);
  cache.byNorm.set(key, at);
  return at;
}

/**
 * Put `state` in the next set with this start (or lower its start there), and the
 * states after it while they are optional; an accepting state records a hit instead.
 */
function enter(rules: CompiledRules, cache: MatchCache, state: number, start: number, end: number): void {
  const { acceptRule } = rules;
  const { stamp, slot, nextStarts, generation } = cache;
  for (;;) {
    const rule = acceptRule[state]!;
    if (rule >= 0) {
      if (cache.hitCount === cache.hitRule.length) growHits(cache);
      const h = cache.hitCount++;
      cache.hitRule[h] = rule;
      cache.hitStart[h] = start;
      cache.hitEnd[h] = end;
      return;
    }
    if (stamp[state] === generation) {
      const at = slot[state]!;
      if (nextStarts[at]! <= start) return;
      nextStarts[at] = start;
    } else {
      const at = cache.nextCount++;
      stamp[state] = generation;
      slot[state] = at;
      cache.nextStates[at] = state;
      nextStarts[at] = start;
    }
    if (cache.optional[state] === 0) return;
    state++;
  }
}

/**
 * All rule hits in `tokens`. With `onHeading`, the tokens are a section
 * heading and only heading-scoped rules are kept; otherwise only sentence rules.
 * `lexemes` (the shared lexicon's entries for the tokens) keep each word's states for the next sentence.
 */
export function matchTokens(rules: CompiledRules, tokens: readonly TokenForm[], section?: string, onHeading = false, lexemes?: readonly Lexeme[]): RuleHit[] {
  const { elements } = rules;
  const cache = matchCacheOf(rules);
  const { matchedAt, matchesAny } = cache;
  let liveCount = 0;
  cache.nextCount = 0;
  cache.hitCount = 0;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // A fresh generation empties the next set without clearing the arrays.
    if (++cache.generation === 0x7fffffff) {
      cache.stamp.fill(0);
      matchedAt.fill(0);
      cache.generation = 1;
    }
    const generation = cache.generation;
    // A word's record is kept on its lexeme for the last pool seen, else looked up by its form.
    const lexeme = lexemes?.[i];
    let at: number;
    if (lexeme === undefined) at = wordStatesFor(rules, cache, token);
    else if (lexeme.statesOf === cache.serial) at = lexeme.statesAt;
    else {
      at = wordStatesFor(rules, cache, token);
      lexeme.statesOf = cache.serial;
      lexeme.statesAt = at;
    }
    const pool = cache.pool;
    const end = i + 1;
    const entryCount = pool[at]!;
    const matchCount = pool[at + 1]!;
    // Live states that this token advances, then the states it enters the automaton at (always in this order).
    if (liveCount > 0) {
      const { liveStates, liveStarts } = cache;
      if (matchCount >= 0) {
        for (let k = at + 2 + entryCount; k < at + 2 + entryCount + matchCount; k++) matchedAt[pool[k]!] = generation;
        for (let k = 0; k < liveCount; k++) {
          const live = liveStates[k]!;
          if (matchesAny[live] === 1 || matchedAt[live] === generation) enter(rules, cache, live + 1, liveStarts[k]!, end);
        }
      } else {
        for (let k = 0; k < liveCount; k++) {
          const live = liveStates[k]!;
          if (matchesAny[live] === 1 || elementMatches(elements[live]!, token)) enter(rules, cache, live + 1, liveStarts[k]!, end);
        }
      }
    }
    for (let k = at + 2; k < at + 2 + entryCount; k++) enter(rules, cache, pool[k]! + 1, i, end);
    // The next set becomes the live set.
    const liveStates = cache.liveStates;
    const liveStarts = cache.liveStarts;
    cache.liveStates = cache.nextStates;
    cache.liveStarts = cache.nextStarts;
    cache.nextStates = liveStates;
    cache.nextStarts = liveStarts;
    liveCount = cache.nextCount;
    cache.nextCount = 0;
  }
  if (cache.hitCount === 0) return [];
  const kept = keptHits(rules, cache, cache.hitCount, tokens, section, onHeading);
  if (cache.hitRule.length > HIT_SCRATCH_KEEP) {
    cache.hitRule = new Int32Array(16);
    cache.hitStart = new Int32Array(16);
    cache.hitEnd = new Int32Array(16);
  }
  return kept;
}

function growHits(cache: MatchCache): void {
  const grow = (a: Int32Array) => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  cache.hitRule = grow(cache.hitRule);
  cache.hitStart = grow(cache.hitStart);
  cache.hitEnd = grow(cache.hitEnd);
}

/** Does raw hit a sort before raw hit b: by start, longest first, then by rule. */
function before(cache: MatchCache, a: number, b: number): boolean {
  const { hitStart, hitEnd, hitRule } = cache;
  if (hitStart[a] !== hitStart[b]) return hitStart[a]! < hitStart[b]!;
  if (hitEnd[a] !== hitEnd[b]) return hitEnd[a]! > hitEnd[b]!;
  return hitRule[a]! < hitRule[b]!;
}

/** Hits in scope, in (start, longest, rule) order, per rule without those overlapping an earlier kept hit. */
function keptHits(rules: CompiledRules, cache: MatchCache, hitCount: number, tokens: readonly TokenForm[], section: string | undefined, onHeading: boolean): RuleHit[] {
  // Raw hits come nearly in order (by end) and are usually few: an insertion sort of their indices,
  // or the library sort when there are many (hostile packs), which keeps the cost n log n.
  const order = new Int32Array(hitCount);
  if (hitCount <= 32) {
    for (let k = 0; k < hitCount; k++) {
      let at = k;
      while (at > 0 && before(cache, k, order[at - 1]!)) {
        order[at] = order[at - 1]!;
        at--;
      }
      order[at] = k;
    }
  } else {
    for (let k = 0; k < hitCount; k++) order[k] = k;
    order.sort((a, b) => (before(cache, a, b) ? -1 : before(cache, b, a) ? 1 : 0));
  }
  let firstWord = 0;
  while (firstWord < tokens.length && tokens[firstWord]!.kind === 'punct') firstWord++;
  let heading: string | undefined;
  if (++cache.call === 0x7fffffff) {
    cache.lastEndStamp.fill(0);
    cache.call = 1;
  }
  const { lastEnd, lastEndStamp, call } = cache;
  const kept: RuleHit[] = [];
  for (let k = 0; k < hitCount; k++) {
    const h = order[k]!;
    const r = cache.hitRule[h]!;
    const tokenStart = cache.hitStart[h]!;
    const rule = rules.rules[r]!;
    if (rule.onHeading !== onHeading) continue;
    if (rule.atStart && tokenStart !== firstWord) continue;
    if (rule.sections.length > 0) {
      if (section === undefined) continue;
      heading ??= section.toLowerCase();
      let inSection = false;
      for (const s of rule.sections) if (heading.includes(s)) inSection = true;
      if (!inSection) continue;
    }
    if (lastEndStamp[r] === call && tokenStart < lastEnd[r]!) continue;
    lastEndStamp[r] = call;
    lastEnd[r] = cache.hitEnd[h]!;
    kept.push({ rule: r, tokenStart, tokenEnd: cache.hitEnd[h]! });
  }
  return kept;
}
