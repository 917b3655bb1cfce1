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

// The token grammar, as a regular expression (the scanner below implements exactly this, without
// allocating a match or a substring per token):
//   [\p{L}\p{M}]+(?:'[\p{L}]+)?  |  \p{N}+(?:[.,]\p{N}+)*%?  |  [.,;:!?()"]
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
  /** Where this word's automaton states are in the word pool whose serial is `statesOf` (match.ts fills this in; 0: none). */
  statesOf: number;
  statesAt: number;
  /** This word's stem id for the model featurizer whose serial is `stemIdOf` (model/featurize.ts fills this in). */
  stemIdOf: number;
  stemId: number;
  /** The surface form this lexeme was made from, and its hash (see runEnd): the lexicon's key. */
  surface: string;
  hash: number;
}

const LEXICON_LIMIT = 50_000;
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

function makeLexeme(surface: string, hash: number): Lexeme {
  const kind: TokenKind = NUMBER_START.test(surface) ? 'number' : surface.length === 1 && surface.charCodeAt(0) < 128 && !ASCII_LETTER.test(surface) ? 'punct' : 'word';
  let norm = surface.toLowerCase();
  if (norm.endsWith("'s")) norm = norm.slice(0, -2);
  // Every field set up front, so all lexemes share one shape.
  return { norm, stem: kind === 'word' ? stemWord(norm) : norm, kind, statesOf: 0, statesAt: 0, stemIdOf: 0, stemId: -1, surface, hash };
}

/**
 * The lexicon: lexemes by surface form, in an open-addressing table keyed by a
 * hash of the text range, so a known word is found without cutting its
 * substring out of the sentence. Cleared when LEXICON_LIMIT forms are held.
 */
let lexemes: Lexeme[] = [];
/**
 * Per slot, four numbers: the hash of its lexeme's surface, 1 + the lexeme's index
 * (0 when free), and where the surface's code units are in `keyUnits` and how many.
 * A probe reads the table and the key units, which sit together in memory, and not
 * the lexeme and its string. Kept at most half full.
 */
let slots = new Int32Array(4 << 12);
/** Surfaces' code units, one after another; surfaces longer than KEY_LIMIT are compared as strings (offset -1). */
let keyUnits = new Uint16Array(1 << 15);
let keyCount = 0;
const KEY_LIMIT = 64;

/**
 * FNV-1a over UTF-16 code units: a token's hash is built while it is scanned (see runEnd).
 * The hash only places words in the table; results never depend on it. FNV's low bits
 * depend only on the low bits of its input, so a slot is taken from the whole hash after
 * a final mix (slotOf); the start is drawn per process, which makes colliding text
 * harder to prepare, though not impossible.
 */
const HASH_START = (0x811c9dc5 ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
const HASH_PRIME = 0x01000193;

/** The table slot of a hash: MurmurHash3's finaliser spreads every bit of it over the low bits. */
function slotOf(hash: number, mask: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) & mask;
}

function insertSlot(table: Int32Array, hash: number, index: number, keyAt: number, length: number): void {
  const mask = (table.length >> 2) - 1;
  let i = slotOf(hash, mask);
  while (table[4 * i + 1] !== 0) i = (i + 1) & mask;
  table[4 * i] = hash;
  table[4 * i + 1] = index + 1;
  table[4 * i + 2] = keyAt;
  table[4 * i + 3] = length;
}

function sameKey(keyAt: number, text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (keyUnits[keyAt++] !== text.charCodeAt(i)) return false;
  return true;
}

/** Store the surface's code units for probes; returns their offset in keyUnits, or -1 for a long surface. */
function addKey(surface: string): number {
  if (surface.length > KEY_LIMIT) return -1;
  if (keyCount + surface.length > keyUnits.length) {
    const grown = new Uint16Array(2 * keyUnits.length);
    grown.set(keyUnits);
    keyUnits = grown;
  }
  const at = keyCount;
  for (let i = 0; i < surface.length; i++) keyUnits[keyCount++] = surface.charCodeAt(i);
  return at;
}

/** The lexeme of the surface text[start, end), whose hash is `hash`. */
function lexemeAt(text: string, start: number, end: number, hash: number): Lexeme {
  const mask = (slots.length >> 2) - 1;
  const length = end - start;
  for (let i = slotOf(hash, mask); ; i = (i + 1) & mask) {
    const index = slots[4 * i + 1]!;
    if (index === 0) break;
    if (slots[4 * i] !== hash || slots[4 * i + 3] !== length) continue;
    const keyAt = slots[4 * i + 2]!;
    if (keyAt >= 0 ? sameKey(keyAt, text, start, end) : text.startsWith(lexemes[index - 1]!.surface, start)) return lexemes[index - 1]!;
  }
  const lexeme = makeLexeme(text.slice(start, end), hash);
  if (lexemes.length >= LEXICON_LIMIT) {
    lexemes = [];
    slots.fill(0);
    keyCount = 0;
  } else if (8 * (lexemes.length + 1) > slots.length) {
    // Twice the slots, the lexemes placed again (their keys stay where they are).
    const old = slots;
    slots = new Int32Array(2 * old.length);
    for (let k = 0; k < old.length; k += 4) if (old[k + 1] !== 0) insertSlot(slots, old[k]!, old[k + 1]! - 1, old[k + 2]!, old[k + 3]!);
  }
  insertSlot(slots, hash, lexemes.length, addKey(lexeme.surface), length);
  lexemes.push(lexeme);
  return lexeme;
}

/** Character classes of the token grammar. */
const OTHER = 0;
const LETTER = 1; // \p{L}
const MARK = 2; // \p{M}
const DIGIT = 3; // \p{N}
const PUNCT = 4; // one of . , ; : ! ? ( ) "

const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  ASCII_CLASS[c] = isLetter ? LETTER : c >= 48 && c <= 57 ? DIGIT : '.,;:!?()"'.includes(String.fromCharCode(c)) ? PUNCT : OTHER;
}
const IS_LETTER = /^\p{L}$/u;
const IS_MARK = /^\p{M}$/u;
const IS_NUMBER = /^\p{N}$/u;
/** Classes of code points from U+0080 up, found by the Unicode property escapes above and kept: 1 + class, 0 unknown. */
const BMP_CLASS = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();

function classOfCodePoint(cp: number): number {
  const known = cp < 0x10000 ? BMP_CLASS[cp]! - 1 : (astralClass.get(cp) ?? -1);
  if (known >= 0) return known;
  const ch = String.fromCodePoint(cp);
  const cls = IS_LETTER.test(ch) ? LETTER : IS_MARK.test(ch) ? MARK : IS_NUMBER.test(ch) ? DIGIT : OTHER;
  if (cp < 0x10000) BMP_CLASS[cp] = cls + 1;
  else {
    if (astralClass.size >= 4096) astralClass.clear();
    astralClass.set(cp, cls);
  }
  return cls;
}

/** The class of the code point at `i` (a lone surrogate is its own code point, as in a /u regex), and its length: class | length << 3. */
function charAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_CLASS[c]! | 8;
  const cp = text.codePointAt(i)!;
  return classOfCodePoint(cp) | (cp > 0xffff ? 16 : 8);
}

/** The hash of the token being scanned, so far (scanning is synchronous). */
let scanHash = HASH_START;

/** The end of a run of code points of class `a` or `b` from `i`, adding its code units to scanHash. */
function runEnd(text: string, i: number, a: number, b: number): number {
  let hash = scanHash;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const cls = ASCII_CLASS[c]!;
      if (cls !== a && cls !== b) break;
      hash = Math.imul(hash ^ c, HASH_PRIME);
      i++;
    } else {
      const cp = text.codePointAt(i)!;
      const cls = classOfCodePoint(cp);
      if (cls !== a && cls !== b) break;
      hash = Math.imul(hash ^ c, HASH_PRIME);
      if (cp > 0xffff) {
        hash = Math.imul(hash ^ text.charCodeAt(i + 1), HASH_PRIME);
        i += 2;
      } else i++;
    }
  }
  scanHash = hash;
  return i;
}

export function tokenize(text: string): Token[] {
  return tokenizeWithLexemes(text).tokens;
}

/** Tokens, and for each the shared lexeme it came from (the matcher caches per-word work there). */
export function tokenizeWithLexemes(text: string): { tokens: Token[]; lexemes: Lexeme[] } {
  assertString(text, 'tokenize');
  const tokens: Token[] = [];
  const found: Lexeme[] = [];
  scanInto(text, tokens, found, false);
  return { tokens, lexemes: found };
}

/**
 * Scratch for tokenizeTransient: token objects reused from one call to the next (so a
 * sentence allocates no tokens), and the arrays handed out. A text has at most one token
 * per code unit, so only texts of up to TRANSIENT_LIMIT code units use them: the pool
 * never outgrows that, and a huge text's tokens are garbage once its call is over.
 */
const tokenPool: Token[] = [];
const transientTokens: Token[] = [];
const transientLexemes: Lexeme[] = [];
const TRANSIENT_LIMIT = 4096;

/**
 * tokenizeWithLexemes into arrays and token objects that the next call overwrites:
 * for a caller that is done with them before it tokenizes again (the classifier;
 * nothing it returns refers to them). `text` unchecked.
 */
export function tokenizeTransient(text: string): { tokens: Token[]; lexemes: Lexeme[] } {
  if (text.length > TRANSIENT_LIMIT) return tokenizeWithLexemes(text);
  const found = transientLexemes;
  const count = scanInto(text, tokenPool, found, true);
  // The handed-out array is trimmed to the sentence; the pool keeps its objects.
  const tokens = transientTokens;
  for (let k = 0; k < count; k++) tokens[k] = tokenPool[k]!;
  tokens.length = count;
  found.length = count;
  return { tokens, lexemes: found };
}

/**
 * Scans `text` into tokens and their lexemes, returning how many. With `reuse`, `tokens`
 * is a pool whose objects are overwritten in place (new ones pushed when it runs out) and
 * lexemes are assigned by index (the caller trims); else every token is new, pushed.
 */
function scanInto(text: string, tokens: Token[], found: Lexeme[], reuse: boolean): number {
  let count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = charAt(text, i);
    const cls = c & 7;
    let end: number;
    scanHash = HASH_START;
    if (cls === LETTER || cls === MARK) {
      end = runEnd(text, i, LETTER, MARK);
      // An apostrophe and letters ("don't", "children's") stay in the word.
      if (end + 1 < n && text.charCodeAt(end) === 39 && (charAt(text, end + 1) & 7) === LETTER) {
        scanHash = Math.imul(scanHash ^ 39, HASH_PRIME);
        end = runEnd(text, end + 1, LETTER, LETTER);
      }
    } else if (cls === DIGIT) {
      end = runEnd(text, i, DIGIT, DIGIT);
      // Grouping and decimal separators between digits ("1,000.5"), then an optional percent sign.
      for (;;) {
        const sep = text.charCodeAt(end);
        if (!((sep === 46 || sep === 44) && end + 1 < n && (charAt(text, end + 1) & 7) === DIGIT)) break;
        scanHash = Math.imul(scanHash ^ sep, HASH_PRIME);
        end = runEnd(text, end + 1, DIGIT, DIGIT);
      }
      if (text.charCodeAt(end) === 37) {
        scanHash = Math.imul(scanHash ^ 37, HASH_PRIME);
        end++;
      }
    } else if (cls === PUNCT) {
      scanHash = Math.imul(scanHash ^ text.charCodeAt(i), HASH_PRIME);
      end = i + 1;
    } else {
      i += c >> 3;
      continue;
    }
    const lexeme = lexemeAt(text, i, end, scanHash);
    const token = reuse && count < tokens.length ? tokens[count]! : undefined;
    if (token === undefined) tokens.push({ norm: lexeme.norm, stem: lexeme.stem, kind: lexeme.kind, start: i, end });
    else {
      token.norm = lexeme.norm;
      token.stem = lexeme.stem;
      token.kind = lexeme.kind;
      token.start = i;
      token.end = end;
    }
    if (reuse) found[count] = lexeme;
    else found.push(lexeme);
    count++;
    i = end;
  }
  return count;
}
