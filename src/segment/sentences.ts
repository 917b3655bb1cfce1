/**
 * Sentence boundaries inside one block of normalised text. Splits after
 * . ! ? (and any closing quotes or brackets) when the next word starts a
 * sentence, except after abbreviations common in inspection prose.
 */
import { assertString } from '../guards.js';

const ABBREVIATIONS = new Set([
  'e.g', 'eg', 'i.e', 'ie', 'no', 'nos', 'dr', 'cllr', 'mr', 'mrs', 'ms', 'st', 'cf', 'vs', 'approx', 'fig', 'para', 'paras',
  's', 'ss', 'sec', 'ref', 'prof', 'rev', 'hon', 'cont', 'incl', 'dept', 'govt', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul',
  'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'p', 'pp', 'vol', 'op', 'ch', 'art', 'reg', 'regs', 'sch',
]);

/** Sentences longer than this are split at semicolons, then at spaces. */
export const MAX_SENTENCE_LENGTH = 1000;

const CANDIDATE = /[.!?]+["')\]]*(?=\s+(\S))/g;

function isBoundary(text: string, punctStart: number, next: string): boolean {
  if (!/[A-Z0-9"'(\[£•]/.test(next)) return false;
  if (text[punctStart] !== '.') return true;
  // Look back a bounded distance only, so splitting stays linear in the paragraph length.
  const before = text.slice(Math.max(0, punctStart - 64), punctStart);
  const word = /(\S+)$/.exec(before)?.[1] ?? '';
  const bare = word.replace(/^[("'[]+/, '').toLowerCase();
  if (ABBREVIATIONS.has(bare)) {
    // "No. 5" is an abbreviation; "... was no." is not, but is vanishingly rare here.
    return false;
  }
  if (/^[A-Z]$/.test(word)) return false; // initials: "J. Smith"
  if (/^(?:[a-z]\.){1,3}[a-z]?$/i.test(bare)) return false; // a.m., p.m., u.s.
  return true;
}

function splitLong(text: string, start: number, end: number, out: Array<[number, number]>): void {
  if (end - start <= MAX_SENTENCE_LENGTH) {
    out.push([start, end]);
    return;
  }
  const piece = text.slice(start, end);
  let cut = piece.lastIndexOf('; ', MAX_SENTENCE_LENGTH - 1);
  if (cut < MAX_SENTENCE_LENGTH / 4) cut = piece.lastIndexOf(' ', MAX_SENTENCE_LENGTH - 1);
  if (cut <= 0) cut = MAX_SENTENCE_LENGTH;
  else cut += 1;
  const left = start + cut;
  let right = left;
  while (right < end && /\s/.test(text[right]!)) right++;
  out.push([start, trimEnd(text, start, left)]);
  splitLong(text, right, end, out);
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Sentence spans [start, end) relative to `text`, covering all non-space text in order. */
export function segmentSentences(text: string): Array<[number, number]> {
  assertString(text, 'segmentSentences');
  const spans: Array<[number, number]> = [];
  let start = 0;
  while (start < text.length && /\s/.test(text[start]!)) start++;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const punctEnd = m.index + m[0].length;
    if (!isBoundary(text, m.index, m[1]!)) continue;
    if (punctEnd > start) splitLong(text, start, punctEnd, spans);
    start = punctEnd;
    while (start < text.length && /\s/.test(text[start]!)) start++;
  }
  const end = trimEnd(text, start, text.length);
  if (end > start) splitLong(text, start, end, spans);
  return spans;
}
