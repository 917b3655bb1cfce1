/**
 * Normalised blocks → sections (with their heading hierarchy), paragraphs and
 * sentences. Every sentence carries the document id, its index, its span in
 * the normalised text, its section path and the hash of its text.
 */
import { assertString, describeType, isRecord } from '../guards.js';
import type { NormalisedText } from '../ingest/normalise.js';
import { BlockKindSchema, type DocumentMeta, type Paragraph, type ReportDocument, type Section, type Sentence } from '../schemas.js';
import { hashText } from './hash.js';
import { segmentSentences } from './sentences.js';

const BLOCK_KINDS: ReadonlySet<string> = new Set(BlockKindSchema.options);

/** Check a NormalisedText built outside normaliseText: every block must index the text it comes with. */
function assertNormalisedText(normalised: unknown): asserts normalised is NormalisedText {
  if (!isRecord(normalised)) throw new TypeError(`segmentDocument expects a NormalisedText ({ text, blocks }), got ${describeType(normalised)}`);
  const { text, blocks } = normalised;
  if (typeof text !== 'string') throw new TypeError(`segmentDocument expects normalised.text to be a string, got ${describeType(text)}`);
  if (!Array.isArray(blocks)) throw new TypeError(`segmentDocument expects normalised.blocks to be an array, got ${describeType(blocks)}`);
  blocks.forEach((block: unknown, i) => {
    const where = `segmentDocument: normalised.blocks[${i}]`;
    if (!isRecord(block)) throw new TypeError(`${where} must be an object, got ${describeType(block)}`);
    if (typeof block['kind'] !== 'string' || !BLOCK_KINDS.has(block['kind'])) {
      throw new TypeError(`${where}.kind must be one of ${[...BLOCK_KINDS].join(', ')}, got ${typeof block['kind'] === 'string' ? JSON.stringify(block['kind']) : describeType(block['kind'])}`);
    }
    if (typeof block['text'] !== 'string') throw new TypeError(`${where}.text must be a string, got ${describeType(block['text'])}`);
    for (const key of ['start', 'end'] as const) {
      if (typeof block[key] !== 'number') throw new TypeError(`${where}.${key} must be a number, got ${describeType(block[key])}`);
    }
    const start = block['start'] as number;
    const end = block['end'] as number;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
      throw new RangeError(`${where} spans [${start}, ${end}), which is not a range inside the ${text.length}-character text`);
    }
    if (text.slice(start, end) !== block['text']) throw new RangeError(`${where}.text is not the text at [${start}, ${end}) of normalised.text`);
    const level = block['level'];
    if (level !== undefined && (typeof level !== 'number' || !Number.isInteger(level) || level < 1)) {
      throw new RangeError(`${where}.level must be a positive integer, got ${typeof level === 'number' ? level : describeType(level)}`);
    }
    if (block['number'] !== undefined && typeof block['number'] !== 'string') throw new TypeError(`${where}.number must be a string, got ${describeType(block['number'])}`);
  });
}

/**
 * Normalised blocks → a document. The arguments are checked: `id` must be a
 * string, `meta` an object, and every block must index `normalised.text`
 * (a block whose text is not text.slice(start, end) is a RangeError).
 */
export function segmentDocument(id: string, normalised: NormalisedText, meta: DocumentMeta = {}): ReportDocument {
  assertString(id, 'segmentDocument (id)');
  assertNormalisedText(normalised);
  if (!isRecord(meta)) throw new TypeError(`segmentDocument expects meta to be an object, got ${describeType(meta)}`);
  return buildDocument(id, normalised, meta);
}

/** segmentDocument without the argument checks, for normaliseText output (fromText, fromPdf). */
export function buildDocument(id: string, normalised: NormalisedText, meta: DocumentMeta): ReportDocument {
  const sections: Section[] = [];
  const paragraphs: Paragraph[] = [];
  const sentences: Sentence[] = [];
  const stack: Section[] = [];

  for (const block of normalised.blocks) {
    if (block.kind === 'heading') {
      const level = block.level ?? 3;
      while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
      const section: Section = {
        index: sections.length,
        heading: block.text,
        level,
        path: [...stack.map((s) => s.heading), block.text],
        span: { start: block.start, end: block.end },
        paragraphs: [],
      };
      sections.push(section);
      stack.push(section);
      continue;
    }
    const current = stack[stack.length - 1];
    const paragraph: Paragraph = {
      index: paragraphs.length,
      kind: block.kind,
      span: { start: block.start, end: block.end },
      ...(block.number !== undefined ? { number: block.number } : {}),
      ...(current ? { section: current.index } : {}),
      sentences: [],
    };
    paragraphs.push(paragraph);
    current?.paragraphs.push(paragraph.index);
    for (const [s, e] of segmentSentences(block.text)) {
      const text = block.text.slice(s, e);
      const sentence: Sentence = {
        docId: id,
        index: sentences.length,
        text,
        span: { start: block.start + s, end: block.start + e },
        hash: hashText(text),
        ...(current ? { section: current.heading } : {}),
        sectionPath: current ? [...current.path] : [],
        paragraph: paragraph.index,
        kind: block.kind,
      };
      paragraph.sentences.push(sentence.index);
      sentences.push(sentence);
    }
  }
  return { id, meta, text: normalised.text, sections, paragraphs, sentences };
}
