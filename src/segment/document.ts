/**
 * Normalised blocks → sections (with their heading hierarchy), paragraphs and
 * sentences. Every sentence carries the document id, its index, its span in
 * the normalised text, its section path and the hash of its text.
 */
import type { NormalisedText } from '../ingest/normalise.js';
import type { DocumentMeta, Paragraph, ReportDocument, Section, Sentence } from '../schemas.js';
import { hashText } from './hash.js';
import { segmentSentences } from './sentences.js';

export function segmentDocument(id: string, normalised: NormalisedText, meta: DocumentMeta = {}): ReportDocument {
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
