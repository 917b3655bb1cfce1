/**
 * Plain text → normalised blocks. A block is a heading, a paragraph, a list
 * item, a table row or a free-standing short line (addresses, sign-offs).
 * The normalised text is the blocks' texts joined by blank lines, so every
 * later span indexes one canonical string.
 */
import { assertString } from '../guards.js';
import { cleanCharacters } from './characters.js';
import { isKnownHeading, knownHeadingLevel, looksLikeHeading } from './headings.js';

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'table-row' | 'line';

export interface Block {
  kind: BlockKind;
  text: string;
  /** Heading depth, 1 = outermost. */
  level?: number;
  /** The paragraph number the source printed ("21." → "21"). */
  number?: string;
}

export interface NormalisedText {
  text: string;
  blocks: Array<Block & { start: number; end: number }>;
}

/** Bullet glyphs seen in reports, including Wingdings private-use bullets. */
const BULLET = /^\s*(?:[\u2022\u2023\u2043\u2219\u25A0-\u25FF\u27A2\u27A4\u2713\u2714\uF0A7\uF0B7\uF0D8\uF076\uF0FC]|[-*–](?=\s))\s*/;
const INLINE_BULLET = /\s+[\u2022\u25AA\u25CF\u25FC\uF0A7\uF0B7]\s+/g;
const NUMBERED = /^\s*(\d{1,3}(?:\.\d{1,3}){1,2}|\d{1,3}(?=\.))\.?(?=\s)\s*/;
const LIST_MARKER = /^\s*(?:\(\d{1,2}\)|\([a-z]\)|[a-z]\)|[ivx]{1,4}\))\s+/;
const MD_HEADING = /^\s*(#{1,6})\s+(.*)$/;
const PAGE_NUMBER = /^\s*(?:[-–—]?\s*\d{1,4}\s*[-–—]?|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|\d{1,4}\s+of\s+\d{1,4})\s*$/i;
const CONTENTS_LINE = /^(.{2,160}?)(?:\t+|\s{2,}|\s*\.{3,}\s*)(?:page\s+)?\d{1,3}\s*$/i;
const TERMINAL = /[.!?:;]["')\]]*$/;
const HYPHEN_PREFIXES = new Set(
  'multi non co pre self well long short cross inter sub post under over high low re anti semi part full out up follow step child decision age front one two three first second third in on off ex counter mid'.split(
    ' ',
  ),
);

interface Line {
  text: string;
  /** A page break or a run of 2+ blank lines precedes this line. */
  afterGap: 'none' | 'blank' | 'page';
}

/** A contents line: a title and a trailing page number (after a tab, spaces, dot leaders or one space). */
function isContentsEntry(line: string): boolean {
  const text = line.replace(/^#{1,6}\s+/, '');
  return CONTENTS_LINE.test(text) || /^\D.{2,160}\s\d{1,3}$/.test(text);
}

function stripMarkdownEmphasis(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/__(.+?)__/g, '$1').replace(/(^|[\s(])\*(\S(?:.*?\S)?)\*(?=[\s).,;:]|$)/g, '$1$2');
}

function isWhollyBold(line: string): boolean {
  return /^\s*(\*\*|__)[^*_]{2,200}\1\s*$/.test(line);
}

function collapse(text: string): string {
  return text.replace(/[ \t]+/g, ' ').trim();
}

/** Lines that repeat at page gaps are running headers or footers. */
function findRunningLines(lines: Line[]): Set<string> {
  const counts = new Map<string, number>();
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    const atGap = line.afterGap === 'page' || (next !== undefined && next.afterGap === 'page');
    const key = line.text.trim().toLowerCase().replace(/\d+/g, '#');
    // Sentences are content even when repeated; running headers and footers are not sentences.
    if (!atGap || key.length === 0 || key.length > 100 || TERMINAL.test(key)) return;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const running = new Set<string>();
  for (const [key, n] of counts) if (n >= 3) running.add(key);
  return running;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let blanks = 0;
  let page = false;
  for (const rawLine of text.split('\n')) {
    if (rawLine.includes('\f')) {
      page = true;
      const rest = rawLine.replace(/\f/g, '');
      if (rest.trim() === '') continue;
    }
    if (rawLine.trim() === '') {
      blanks++;
      continue;
    }
    out.push({ text: rawLine.replace(/\f/g, ''), afterGap: page ? 'page' : blanks >= 2 ? 'page' : blanks === 1 ? 'blank' : 'none' });
    blanks = 0;
    page = false;
  }
  return out;
}

interface DraftBlock extends Block {
  lines: string[];
  afterGap: Line['afterGap'];
  /** Source line started with a bullet glyph. */
  bulleted: boolean;
}

function joinWrapped(lines: string[], vocabulary: ReadonlySet<string>): string {
  let text = '';
  for (const line of lines) {
    const piece = collapse(line);
    if (text === '') {
      text = piece;
      continue;
    }
    const hyphenated = /([A-Za-z]+)-$/.exec(text);
    const nextWord = /^([a-z]+)/.exec(piece);
    if (hyphenated && nextWord) {
      // "assess-\nment" → "assessment", but "multi-\nagency" keeps its hyphen:
      // the document's own vocabulary decides, then a list of prefixes.
      const head = hyphenated[1]!.toLowerCase();
      const tail = nextWord[1]!;
      const keep = !vocabulary.has(head + tail) && (vocabulary.has(`${head}-${tail}`) || HYPHEN_PREFIXES.has(head));
      text = keep ? text + piece : text.slice(0, -1) + piece;
    } else {
      text = `${text} ${piece}`;
    }
  }
  return text;
}

function collectVocabulary(text: string): Set<string> {
  const vocabulary = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z]+(?:-[A-Za-z]+)*/g)) vocabulary.add(m[0].toLowerCase());
  return vocabulary;
}

function startsLowercase(text: string): boolean {
  return /^[a-z]/.test(text.trimStart());
}

/**
 * Normalise raw report text into blocks. Page furniture (running headers and
 * footers, page numbers, contents lines) is removed; everything else is kept.
 */
export function normaliseText(raw: string): NormalisedText {
  assertString(raw, 'normaliseText');
  const cleaned = cleanCharacters(raw).replace(INLINE_BULLET, '\n• ');
  const lines = splitLines(cleaned);
  const running = findRunningLines(lines);
  const vocabulary = collectVocabulary(cleaned);

  const drafts: DraftBlock[] = [];
  let current: DraftBlock | undefined;
  let inContents = false;
  let signedOff = false;
  const flush = () => {
    if (current) drafts.push(current);
    current = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let text = line.text;
    const trimmed = text.trim();
    const key = trimmed.toLowerCase().replace(/\d+/g, '#');
    if (PAGE_NUMBER.test(trimmed) || /^[-–—•▪*]$/.test(trimmed) || running.has(key)) continue;
    if (line.afterGap !== 'none') flush();

    if (/^\W*yours (sincerely|faithfully)/i.test(trimmed)) signedOff = true;
    if (inContents && isContentsEntry(lines[i + 1]?.text.trim() ?? '') && trimmed.length <= 160 && !TERMINAL.test(trimmed)) {
      // The first line of a contents entry that wraps before its page number.
      continue;
    }
    const md = MD_HEADING.exec(text);
    if (md || (isWhollyBold(text) && !signedOff)) {
      flush();
      if (inContents && isContentsEntry(trimmed)) continue;
      const headingText = collapse(stripMarkdownEmphasis(md ? md[2]! : text));
      if (headingText === '') continue;
      inContents = /^contents$/i.test(headingText);
      drafts.push({ kind: 'heading', text: headingText, level: md ? md[1]!.length : 3, lines: [], afterGap: line.afterGap, bulleted: false });
      continue;
    }
    text = stripMarkdownEmphasis(text);

    if (/^contents$/i.test(trimmed)) {
      flush();
      inContents = true;
      drafts.push({ kind: 'heading', text: 'Contents', level: 3, lines: [], afterGap: line.afterGap, bulleted: false });
      continue;
    }
    if (inContents) {
      if (isContentsEntry(trimmed)) continue;
      inContents = false;
    }

    const bullet = BULLET.exec(text);
    const bodyAfterBullet = bullet ? text.slice(bullet[0].length) : text;
    const numbered = NUMBERED.exec(bodyAfterBullet);
    if (bullet || numbered) {
      flush();
      let body = numbered ? bodyAfterBullet.slice(numbered[0].length) : bodyAfterBullet;
      const marker = LIST_MARKER.exec(body);
      if (marker) body = body.slice(marker[0].length);
      if (body.trim() === '') continue;
      current = {
        kind: bullet ? 'list-item' : 'paragraph',
        text: '',
        lines: [body],
        afterGap: line.afterGap,
        bulleted: bullet !== null,
        ...(numbered ? { number: numbered[1]! } : {}),
      };
      if (body.includes('\t')) {
        current.kind = 'table-row';
        flush();
      }
      continue;
    }
    if (text.includes('\t')) {
      flush();
      drafts.push({ kind: 'table-row', text: '', lines: [text], afterGap: line.afterGap, bulleted: false });
      continue;
    }
    const marker = LIST_MARKER.exec(text);
    if (marker) {
      flush();
      current = { kind: 'list-item', text: '', lines: [text.slice(marker[0].length)], afterGap: line.afterGap, bulleted: true };
      continue;
    }
    if (current && isKnownHeading(trimmed)) {
      // A known heading glued under the previous block (HTML lists do this).
      flush();
      drafts.push({ kind: 'heading', text: collapse(trimmed).replace(/:$/, ''), level: knownHeadingLevel(trimmed), lines: [], afterGap: 'none', bulleted: false });
      continue;
    }
    if (!current) current = { kind: 'paragraph', text: '', lines: [], afterGap: line.afterGap, bulleted: false };
    current.lines.push(text);
  }
  flush();

  return finishBlocks(drafts, vocabulary);
}

/** Join page-broken continuations, split address-style line groups, decide headings. */
function finishBlocks(drafts: DraftBlock[], vocabulary: ReadonlySet<string>): NormalisedText {
  const merged: DraftBlock[] = [];
  for (const block of drafts) {
    const prev = merged[merged.length - 1];
    const prevText = prev ? joinWrapped(prev.lines, vocabulary) : '';
    const first = block.lines[0] ?? '';
    const continues =
      prev !== undefined &&
      prev.kind !== 'heading' &&
      prev.kind !== 'table-row' &&
      block.kind !== 'heading' &&
      block.kind !== 'table-row' &&
      block.number === undefined &&
      !TERMINAL.test(prevText) &&
      startsLowercase(first) &&
      // A lowercase bullet right after an unterminated item is a new list item
      // unless a page gap split them.
      (!block.bulleted || block.afterGap === 'page');
    if (continues) {
      prev.lines.push(...block.lines);
      continue;
    }
    merged.push(block);
  }

  const out: Block[] = [];
  // After a letter's sign-off, names and titles are not section headings.
  let signedOff = false;
  for (let i = 0; i < merged.length; i++) {
    const block = merged[i]!;
    if (block.kind !== 'heading' && /^yours (sincerely|faithfully)/i.test(collapse(block.lines[0] ?? ''))) signedOff = true;
    if (block.kind === 'heading') {
      out.push({ kind: 'heading', text: block.text, level: block.level ?? 3 });
      continue;
    }
    if (block.kind === 'table-row') {
      const cells = block.lines.join(' ').split(/\t+/).map(collapse).filter((c) => c !== '');
      if (cells.length > 0) out.push({ kind: 'table-row', text: cells.join(' | ') });
      continue;
    }
    const shortLines = block.lines.length >= 2 && block.lines.every((l) => collapse(l).length <= 60 && !TERMINAL.test(collapse(l)));
    if (block.kind === 'paragraph' && shortLines) {
      // Address-style groups: each line stands alone and only known headings count as headings.
      for (const l of block.lines) pushLine(out, collapse(l), undefined);
      continue;
    }
    const text = joinWrapped(block.lines, vocabulary);
    if (text === '') continue;
    if (isNumberedHeading(block, text)) {
      out.push({ kind: 'heading', text, level: 3 });
      continue;
    }
    if (block.kind === 'paragraph' && block.lines.length === 1 && block.number === undefined) {
      pushLine(out, text, signedOff ? undefined : merged[i + 1]);
      continue;
    }
    out.push({ kind: block.kind, text, ...(block.number !== undefined ? { number: block.number } : {}) });
  }
  return layout(out);
}

/** "3. COMMENTARY", "1. Reason for report": a top-level number before a short title. */
function isNumberedHeading(block: DraftBlock, text: string): boolean {
  return (
    block.kind === 'paragraph' &&
    block.number !== undefined &&
    !block.number.includes('.') &&
    block.lines.length === 1 &&
    text.split(' ').length <= 6 &&
    !/[:?]/.test(text) &&
    looksLikeHeading(text)
  );
}

function pushLine(out: Block[], text: string, next: DraftBlock | undefined): void {
  if (text === '') return;
  const nextStartsLower = next !== undefined && next.kind !== 'heading' && startsLowercase(next.lines[0] ?? '');
  if (isKnownHeading(text) || (!nextStartsLower && next !== undefined && looksLikeHeading(text))) {
    out.push({ kind: 'heading', text: text.replace(/:$/, ''), level: isKnownHeading(text) ? knownHeadingLevel(text) : 3 });
  } else out.push({ kind: TERMINAL.test(text) || text.length > 160 ? 'paragraph' : 'line', text });
}

function layout(blocks: Block[]): NormalisedText {
  const parts: string[] = [];
  const positioned: NormalisedText['blocks'] = [];
  let offset = 0;
  for (const block of blocks) {
    const text = collapse(block.text);
    if (text === '') continue;
    if (parts.length > 0) offset += 2;
    positioned.push({ ...block, text, start: offset, end: offset + text.length });
    parts.push(text);
    offset += text.length;
  }
  return { text: parts.join('\n\n'), blocks: positioned };
}
