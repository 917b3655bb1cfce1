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
const NUMBER_START = /^\p{N}/u;
const ASCII_LETTER = /[a-z]/i;

const stemmer = porter as unknown as { stem(word: string): string };

/**
 * What a surface form normalises to. Inspection prose reuses a small vocabulary,
 * so each distinct surface form is normalised and stemmed once; the lexicon is
 * bounded (cleared when full) so memory cannot grow without limit.
 */
export interface Lexeme {
  norm: string;
  stem: string;
  kind: TokenKind;
  /** The automaton entry states of this word for the rule set whose fingerprint is `entriesOf` (match.ts fills this in). */
  entriesOf?: string;
  entries?: Int32Array;
}

const LEXICON_LIMIT = 50_000;
const lexicon = new Map<string, Lexeme>();
const stems = new Map<string, string>();

export function stemWord(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = word.length <= 2 || word.length > 40 ? word : stemmer.stem(word);
    if (stems.size >= LEXICON_LIMIT) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}

function lexemeOf(surface: string): Lexeme {
  let lexeme = lexicon.get(surface);
  if (lexeme === undefined) {
    const kind: TokenKind = NUMBER_START.test(surface) ? 'number' : surface.length === 1 && surface.charCodeAt(0) < 128 && !ASCII_LETTER.test(surface) ? 'punct' : 'word';
    let norm = surface.toLowerCase();
    if (norm.endsWith("'s")) norm = norm.slice(0, -2);
    lexeme = { norm, stem: kind === 'word' ? stemWord(norm) : norm, kind };
    if (lexicon.size >= LEXICON_LIMIT) lexicon.clear();
    lexicon.set(surface, lexeme);
  }
  return lexeme;
}

export function tokenize(text: string): Token[] {
  return tokenizeWithLexemes(text).tokens;
}

/** Tokens, and for each the shared lexeme it came from (the matcher caches per-word work there). */
export function tokenizeWithLexemes(text: string): { tokens: Token[]; lexemes: Lexeme[] } {
  assertString(text, 'tokenize');
  const tokens: Token[] = [];
  const lexemes: Lexeme[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const surface = m[0];
    const lexeme = lexemeOf(surface);
    tokens.push({ norm: lexeme.norm, stem: lexeme.stem, kind: lexeme.kind, start: m.index, end: m.index + surface.length });
    lexemes.push(lexeme);
  }
  return { tokens, lexemes };
}
