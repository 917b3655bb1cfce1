/**
 * Sentence → normalised tokens: lowercase surface form, Porter stem and
 * character span. Hyphenated words split into their parts ("multi-agency" →
 * multi, agency) so patterns match every spelling the same way.
 */
// Only the Porter stemmer submodule: natural's top-level import loads dotenv and prints.
import porter from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { assertString } from '../guards.js';

export type TokenKind = 'word' | 'number' | 'punct';

export interface Token {
  /** Lowercased surface form. */
  norm: string;
  stem: string;
  kind: TokenKind;
  start: number;
  end: number;
}

const TOKEN = /[\p{L}\p{M}]+(?:'[\p{L}]+)?|\p{N}+(?:[.,]\p{N}+)*%?|[.,;:!?()"]/gu;

/** Stems are memoised: inspection prose reuses a small vocabulary. Bounded so memory cannot grow without limit. */
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 50_000;

const stemmer = porter as unknown as { stem(word: string): string };

export function stemWord(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = word.length <= 2 || word.length > 40 ? word : stemmer.stem(word);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

export function tokenize(text: string): Token[] {
  assertString(text, 'tokenize');
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const surface = m[0];
    const first = surface.charCodeAt(0);
    const kind: TokenKind = /[\p{N}]/u.test(surface[0]!) ? 'number' : surface.length === 1 && first < 128 && !/[a-z]/i.test(surface) ? 'punct' : 'word';
    const norm = surface.toLowerCase().replace(/'s$/, '');
    tokens.push({ norm, stem: kind === 'word' ? stemWord(norm) : norm, kind, start: m.index, end: m.index + surface.length });
  }
  return tokens;
}
