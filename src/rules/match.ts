/**
 * Run a compiled rule set over a token sequence. A Pike-style simulation:
 * the live set holds each automaton state at most once (with its earliest
 * start), so one token costs at most (number of states) steps whatever the
 * patterns are, and the whole match is linear in the sentence.
 */
import type { CompiledRules } from './compile.js';
import type { PatternElement } from './pattern.js';
import type { Token } from './tokens.js';

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
 * All rule hits in `tokens`. With `onHeading`, the tokens are a section
 * heading and only heading-scoped rules are kept; otherwise only sentence rules.
 */
export function matchTokens(rules: CompiledRules, tokens: readonly Token[], section?: string, onHeading = false): RuleHit[] {
  const { elements, acceptRule } = rules;
  const hits: RuleHit[] = [];
  let live = new Map<number, number>();
  const heading = section?.toLowerCase();

  const add = (set: Map<number, number>, state: number, start: number, end: number): void => {
    const rule = acceptRule[state]!;
    if (rule >= 0) {
      hits.push({ rule, tokenStart: start, tokenEnd: end });
      return;
    }
    const known = set.get(state);
    if (known !== undefined && known <= start) return;
    set.set(state, start);
    if (elements[state]!.optional) add(set, state + 1, start, end);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = new Map<number, number>();
    for (const [state, start] of live) {
      if (elementMatches(elements[state]!, token)) add(next, state + 1, start, i + 1);
    }
    const entries = [rules.entryByStem.get(token.stem), token.norm !== token.stem ? rules.entryByStem.get(token.norm) : undefined, rules.entryByExact.get(token.norm)];
    for (const list of entries) if (list) for (const state of list) if (elementMatches(elements[state]!, token)) add(next, state + 1, i, i + 1);
    if (token.kind === 'number') for (const state of rules.entryByNumber) add(next, state + 1, i, i + 1);
    const prefixed = rules.entryByPrefix.get(token.norm.slice(0, 2));
    if (prefixed) for (const { prefix, state } of prefixed) if (token.norm.startsWith(prefix)) add(next, state + 1, i, i + 1);
    live = next;
  }

  // Keep hits in scope, and per rule drop those overlapping an earlier kept hit.
  hits.sort((a, b) => a.tokenStart - b.tokenStart || b.tokenEnd - a.tokenEnd || a.rule - b.rule);
  const firstWord = tokens.findIndex((t) => t.kind !== 'punct');
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
