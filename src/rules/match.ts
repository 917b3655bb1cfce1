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

function elementMatches(element: PatternElement, token: Token): boolean {
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
 * Per rule set: the states a token can enter the automaton at, by the token's
 * normalised form (its stem, its exact form and its prefixes all looked up once).
 * Bounded like the lexicon.
 */
interface EntryCache {
  byNorm: Map<string, Int32Array>;
  /**
   * Scratch space reused across calls (matching is synchronous): two live sets
   * as (state, start) arrays, and per state the generation that last added it
   * and its slot there. A set never holds a state twice, so states.length bounds it.
   */
  states: [Int32Array, Int32Array];
  starts: [Int32Array, Int32Array];
  stamp: Int32Array;
  slot: Int32Array;
  generation: number;
}

const ENTRY_CACHE_LIMIT = 50_000;
const NO_ENTRIES = new Int32Array(0);
const entryCaches = new WeakMap<CompiledRules, EntryCache>();

function entryCacheOf(rules: CompiledRules): EntryCache {
  let cache = entryCaches.get(rules);
  if (!cache) {
    const n = rules.elements.length;
    cache = {
      byNorm: new Map(),
      states: [new Int32Array(n + 1), new Int32Array(n + 1)],
      starts: [new Int32Array(n + 1), new Int32Array(n + 1)],
      stamp: new Int32Array(n + 1),
      slot: new Int32Array(n + 1),
      generation: 0,
    };
    entryCaches.set(rules, cache);
  }
  return cache;
}

function entriesFor(rules: CompiledRules, cache: EntryCache, token: Token): Int32Array {
  // Entry states depend on the form and the stem; both are in the key, so tokens built by a caller
  // (analyseSentence accepts heading tokens) can never leave wrong states for other sentences.
  const key = token.kind === 'number' ? '#' + token.norm : token.stem === token.norm ? token.norm : token.norm + '\u0000' + token.stem;
  let states = cache.byNorm.get(key);
  if (states !== undefined) return states;
  const found: number[] = [];
  const candidates = [rules.entryByStem.get(token.stem), token.norm !== token.stem ? rules.entryByStem.get(token.norm) : undefined, rules.entryByExact.get(token.norm)];
  for (const list of candidates) if (list) for (const state of list) if (elementMatches(rules.elements[state]!, token)) found.push(state);
  if (token.kind === 'number') found.push(...rules.entryByNumber);
  const prefixed = rules.entryByPrefix.get(token.norm.slice(0, 2));
  if (prefixed) for (const { prefix, state } of prefixed) if (token.norm.startsWith(prefix)) found.push(state);
  states = found.length === 0 ? NO_ENTRIES : Int32Array.from(found);
  if (cache.byNorm.size >= ENTRY_CACHE_LIMIT) cache.byNorm.clear();
  cache.byNorm.set(key, states);
  return states;
}

/**
 * All rule hits in `tokens`. With `onHeading`, the tokens are a section
 * heading and only heading-scoped rules are kept; otherwise only sentence rules.
 */
export function matchTokens(rules: CompiledRules, tokens: readonly Token[], section?: string, onHeading = false, lexemes?: readonly Lexeme[]): RuleHit[] {
  const { elements, acceptRule } = rules;
  const cache = entryCacheOf(rules);
  const { stamp, slot } = cache;
  const hits: RuleHit[] = [];
  let liveStates = cache.states[0];
  let liveStarts = cache.starts[0];
  let liveCount = 0;
  let nextStates = cache.states[1];
  let nextStarts = cache.starts[1];
  let nextCount = 0;

  const add = (state: number, start: number, end: number): void => {
    for (;;) {
      const rule = acceptRule[state]!;
      if (rule >= 0) {
        hits.push({ rule, tokenStart: start, tokenEnd: end });
        return;
      }
      if (stamp[state] === cache.generation) {
        const k = slot[state]!;
        if (nextStarts[k]! <= start) return;
        nextStarts[k] = start;
      } else {
        stamp[state] = cache.generation;
        slot[state] = nextCount;
        nextStates[nextCount] = state;
        nextStarts[nextCount++] = start;
      }
      if (!elements[state]!.optional) return;
      state++;
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // A fresh generation empties the set being built without clearing the arrays.
    if (++cache.generation === 0x7fffffff) {
      stamp.fill(0);
      cache.generation = 1;
    }
    for (let k = 0; k < liveCount; k++) {
      const state = liveStates[k]!;
      if (elementMatches(elements[state]!, token)) add(state + 1, liveStarts[k]!, i + 1);
    }
    // A word's entry states are kept on its lexeme for the last rule set seen, else looked up by its form.
    const lexeme = lexemes?.[i];
    let entries: Int32Array;
    if (lexeme === undefined) entries = entriesFor(rules, cache, token);
    else if (lexeme.entriesOf === rules.fingerprint) entries = lexeme.entries!;
    else {
      entries = entriesFor(rules, cache, token);
      lexeme.entriesOf = rules.fingerprint;
      lexeme.entries = entries;
    }
    for (let k = 0; k < entries.length; k++) add(entries[k]! + 1, i, i + 1);
    [liveStates, nextStates] = [nextStates, liveStates];
    [liveStarts, nextStarts] = [nextStarts, liveStarts];
    liveCount = nextCount;
    nextCount = 0;
  }
  if (hits.length === 0) return hits;

  // Keep hits in scope, and per rule drop those overlapping an earlier kept hit.
  hits.sort((a, b) => a.tokenStart - b.tokenStart || b.tokenEnd - a.tokenEnd || a.rule - b.rule);
  let firstWord = 0;
  while (firstWord < tokens.length && tokens[firstWord]!.kind === 'punct') firstWord++;
  const heading = section?.toLowerCase();
  const lastEnd = new Map<number, number>();
  return hits.filter((hit) => {
    const rule = rules.rules[hit.rule]!;
    if (rule.onHeading !== onHeading) return false;
    if (rule.atStart && hit.tokenStart !== firstWord) return false;
    if (rule.sections.length > 0 && (heading === undefined || !rule.sections.some((s) => heading.includes(s)))) return false;
    const end = lastEnd.get(hit.rule);
    if (end !== undefined && hit.tokenStart < end) return false;
    lastEnd.set(hit.rule, hit.tokenEnd);
    return true;
  });
}
