/**
 * The pattern language, parsed into token predicates. No user regular
 * expressions exist anywhere, so no pattern can cause catastrophic
 * backtracking. Syntax (space-separated elements, matched on consecutive tokens):
 *
 *   record        any token with the same Porter stem (record, records, recorded, recording)
 *   =records      exactly this lowercase word
 *   superv*       any word starting with "superv" (at least 2 letters before *)
 *   a|b|=c|d*     one of the alternatives
 *   always?       optional element
 *   ~3            a gap of up to 3 arbitrary tokens (1–5; never first or last)
 *   #             any number
 *   , ; :         punctuation tokens
 *   multi-agency  hyphenated words are matched part by part, as they are tokenised
 */
import { stemWord } from './tokens.js';

export type Alternative = { type: 'stem' | 'exact' | 'prefix'; value: string } | { type: 'any' } | { type: 'number' };

export interface PatternElement {
  alts: Alternative[];
  optional: boolean;
}

export class PatternSyntaxError extends Error {}

export const MAX_PATTERN_ELEMENTS = 16;
export const MAX_GAP = 5;
const WORD = /^[\p{L}\p{N}][\p{L}\p{N}']*$/u;
const PUNCT = /^[.,;:!?()"]$/u;

function parseAlternative(raw: string): Alternative {
  let text = raw.toLowerCase();
  if (text.endsWith("'s")) text = text.slice(0, -2);
  if (text === '#') return { type: 'number' };
  if (PUNCT.test(text)) return { type: 'exact', value: text };
  const exact = text.startsWith('=');
  if (exact) text = text.slice(1);
  if (PUNCT.test(text)) return { type: 'exact', value: text };
  if (text.endsWith('*')) {
    const prefix = text.slice(0, -1);
    if (exact) throw new PatternSyntaxError(`"${raw}": use either = (exact) or * (prefix), not both`);
    if (prefix.length < 2 || !WORD.test(prefix)) throw new PatternSyntaxError(`"${raw}": a prefix needs at least 2 letters or digits before *`);
    return { type: 'prefix', value: prefix };
  }
  if (!WORD.test(text)) throw new PatternSyntaxError(`"${raw}": expected a word, =word, prefix*, ~N gap or punctuation`);
  return exact ? { type: 'exact', value: text } : { type: 'stem', value: /^\p{N}/u.test(text) ? text : stemWord(text) };
}

/** Parsed patterns by source text: a pack is parsed when validated and again when compiled, and packs share patterns. */
const parsed = new Map<string, readonly PatternElement[]>();
const PARSED_LIMIT = 5_000;

export function freezeElement(element: PatternElement): PatternElement {
  element.alts.forEach(Object.freeze);
  Object.freeze(element.alts);
  return Object.freeze(element);
}

/** The elements of a pattern (frozen: they are shared by every rule set that uses the pattern), or a PatternSyntaxError. */
export function parsePattern(source: string): readonly PatternElement[] {
  let elements = parsed.get(source);
  if (elements === undefined) {
    elements = Object.freeze(parseUncached(source).map(freezeElement));
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(source, elements);
  }
  return elements;
}

function parseUncached(source: string): PatternElement[] {
  const elements: PatternElement[] = [];
  const parts = source.trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0) throw new PatternSyntaxError('the pattern is empty');
  for (const part of parts) {
    const gap = /^~(\d+)$/.exec(part);
    if (gap) {
      const n = Number(gap[1]);
      if (n < 1 || n > MAX_GAP) throw new PatternSyntaxError(`"${part}": a gap is ~1 to ~${MAX_GAP}`);
      for (let i = 0; i < n; i++) elements.push({ alts: [{ type: 'any' }], optional: true });
      continue;
    }
    let body = part;
    const optional = body.length > 1 && body.endsWith('?') && !PUNCT.test(body);
    if (optional) body = body.slice(0, -1);
    const alternatives = body.split('|');
    if (alternatives.some((a) => a === '')) throw new PatternSyntaxError(`"${part}": empty alternative`);
    if (alternatives.length > 100) throw new PatternSyntaxError(`"${part}": at most 100 alternatives`);
    // Hyphenated words are several tokens; only a lone word may be hyphenated.
    const hyphenated = body.includes('-');
    if (hyphenated && alternatives.length === 1 && /\p{L}-\p{L}/u.test(body) && !body.startsWith('=')) {
      const pieces = body.split('-').filter((p) => p !== '');
      if (optional) throw new PatternSyntaxError(`"${part}": a hyphenated word cannot be optional; write one pattern with it and one without`);
      pieces.forEach((piece, i) => elements.push({ alts: [parseAlternative(piece)], optional: optional && i === 0 && pieces.length === 1 }));
      continue;
    }
    if (hyphenated && alternatives.some((a) => /\p{L}-\p{L}/u.test(a))) {
      throw new PatternSyntaxError(`"${part}": a hyphenated word cannot be one of several alternatives; write it as its own pattern`);
    }
    elements.push({ alts: alternatives.map(parseAlternative), optional });
  }
  if (elements.length > MAX_PATTERN_ELEMENTS) throw new PatternSyntaxError(`the pattern has ${elements.length} elements; at most ${MAX_PATTERN_ELEMENTS}`);
  const isGap = (e: PatternElement | undefined) => e?.alts[0]?.type === 'any';
  if (isGap(elements[0]) || isGap(elements[elements.length - 1])) throw new PatternSyntaxError('a pattern cannot start or end with a gap');
  if (elements.every((e) => e.optional)) throw new PatternSyntaxError('a pattern needs at least one element that is not optional');
  return elements;
}
