/**
 * Properties of text ingestion that hold for every input: realistic report
 * fragments (findings, headings, bullets, numbered paragraphs, CRLF, HTML
 * remnants) mixed with arbitrary Unicode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../src/errors.js';
import { normaliseText } from '../src/ingest/normalise.js';
import { fromText, MAX_TEXT_LENGTH } from '../src/ingest/text.js';
import type { ReportDocument, Span } from '../src/schemas.js';
import { hashText } from '../src/segment/hash.js';
import { MAX_SENTENCE_LENGTH, segmentSentences } from '../src/segment/sentences.js';

const FINDINGS = [
  'Social workers visit children regularly.',
  'Management oversight is not always evident on case records.',
  'The LSCB (Local Safeguarding Children Board) is effective, e.g. in s47 enquiries.',
  'Child protection plans do not always include measurable timescales for agreed actions.',
  'Children are seen alone and their views are recorded.',
  "Care leavers told inspectors that their personal advisers are 'always there for them'.",
  'Strategy discussions are timely; however, health partners do not always attend.',
  'Around 72% of assessments were completed within 45 working days in 2016-17.',
  'Dr. Patel, the designated doctor, chairs the adoption panel.',
  'Why do some children wait too long for permanence?',
  'Supervision is regular but is not reflective, and actions are not followed up.',
  'The quality of return home interviews is variable.',
  "Senior leaders have an accurate understanding of the service's strengths and weaknesses.",
  'Thresholds are understood and applied consistently by partner agencies (see para. 21).',
  'Private fostering arrangements are assessed in line with statutory guidance, i.e. within seven days.',
  'Pre-birth assessments start early enough to inform planning.',
];
const HEADINGS = ['Strengths', 'Areas for development', '## Overview', '**Strengths**', 'What needs to improve', 'Contents'];
const MARKERS = ['- ', '• ', '▪ ', '21. ', '3.4 ', '(a) ', '<p>', '<br/>', '<li>', ''];
const SEPARATORS = ['\n', '\n\n', '\r\n', '\r\n\r\n', '\n\n\n', '\f', '\n\f\n', ' ', '\t', '<br/>', '</p><p>'];

/** A finding far over MAX_SENTENCE_LENGTH, with clause breaks, and one with no spaces at all. */
const LONG_FINDING = Array.from({ length: 40 }, (_, i) => `in case ${i + 1} the plan was reviewed on time`).join('; ') + '.';
const UNBROKEN = 'x'.repeat(2 * MAX_SENTENCE_LENGTH + 17);

const finding = fc.constantFrom(...FINDINGS);
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...MARKERS), finding).map(([m, f]) => m + f) },
  { weight: 2, arbitrary: fc.constantFrom(...HEADINGS) },
  { weight: 1, arbitrary: fc.constantFrom(LONG_FINDING, UNBROKEN, '12', 'Page 3 of 40', 'Overview .......... 4', '•', '&amp; &#8226; &nbsp;') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);
/** A report-like document: pieces joined by line breaks, page breaks, spaces or HTML. */
const reportText = fc
  .array(fc.tuple(piece, fc.constantFrom(...SEPARATORS)), { maxLength: 30 })
  .map((parts) => parts.map(([p, sep]) => p + sep).join(''));
/** Anything: report-like text, or fully arbitrary Unicode. */
const anyText = fc.oneof(
  { weight: 4, arbitrary: reportText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\n', '\r', ' ', '.', 'A', 'a', '•', '#', '*', '\t', '1', '\f'), maxLength: 200 }) },
);

const RUNS = { numRuns: 300 };
const squash = (text: string) => text.replace(/\s+/g, '');

/** The normalised text with every section heading's span cut out. */
function textWithoutHeadings(doc: ReportDocument): string {
  let out = '';
  let at = 0;
  for (const section of doc.sections) {
    out += doc.text.slice(at, section.span.start);
    at = section.span.end;
  }
  return out + doc.text.slice(at);
}

function expectIncreasing(spans: Span[], label: string): void {
  spans.forEach((span, i) => {
    expect(span.start, `${label} ${i} is non-empty`).toBeLessThan(span.end);
    if (i > 0) expect(span.start, `${label} ${i} starts after ${label} ${i - 1} ends`).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  });
}

describe('segmentation never loses, reorders or duplicates text', () => {
  it('the sentences, in order and without whitespace, spell out the normalised text minus its headings', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        expect(squash(doc.sentences.map((s) => s.text).join(''))).toBe(squash(textWithoutHeadings(doc)));
      }),
      RUNS,
    );
  });

  it("each paragraph's sentences spell out exactly that paragraph", () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        for (const p of doc.paragraphs) {
          const own = p.sentences.map((i) => doc.sentences[i]!);
          expect(own.every((s) => s.paragraph === p.index)).toBe(true);
          expect(squash(own.map((s) => s.text).join(''))).toBe(squash(doc.text.slice(p.span.start, p.span.end)));
        }
        // Every sentence belongs to exactly one paragraph, in order.
        expect(doc.paragraphs.flatMap((p) => p.sentences)).toEqual(doc.sentences.map((_, i) => i));
        expect(doc.sentences.map((s) => s.index)).toEqual(doc.sentences.map((_, i) => i));
      }),
      RUNS,
    );
  });

  it('distinct findings, bulleted or plain, each come back as exactly one sentence, in order', () => {
    // A question standing alone on its line reads as a heading ("What needs to improve?"), so only statements here.
    const statements = FINDINGS.filter((f) => f.endsWith('.'));
    const decorated = fc
      .shuffledSubarray(statements, { minLength: 1 })
      .chain((fs) => fc.tuple(fc.constant(fs), fc.array(fc.constantFrom('', '- ', '• ', '▪ ', '<li>'), { minLength: fs.length, maxLength: fs.length })));
    fc.assert(
      fc.property(decorated, fc.constantFrom('\n', '\n\n', '\r\n', '\r\n\r\n', '\n\f\n', '<br/>', '</p>\n<p>'), ([fs, marks], sep) => {
        const raw = fs.map((f, i) => marks[i] + f).join(sep);
        expect(fromText(raw).sentences.map((s) => s.text)).toEqual(fs);
      }),
      { numRuns: 200 },
    );
  });
});

describe('spans index the normalised text exactly', () => {
  it('every sentence is the slice of doc.text its span names; spans strictly increase and never overlap', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        for (const s of doc.sentences) expect(doc.text.slice(s.span.start, s.span.end)).toBe(s.text);
        expectIncreasing(doc.sentences.map((s) => s.span), 'sentence');
        expectIncreasing(doc.paragraphs.map((p) => p.span), 'paragraph');
        expectIncreasing(doc.sections.map((s) => s.span), 'section');
      }),
      RUNS,
    );
  });

  it('sentence spans lie within their paragraph span', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        for (const s of doc.sentences) {
          const p = doc.paragraphs[s.paragraph]!;
          expect(s.span.start).toBeGreaterThanOrEqual(p.span.start);
          expect(s.span.end).toBeLessThanOrEqual(p.span.end);
          expect(s.kind).toBe(p.kind);
        }
      }),
      RUNS,
    );
  });

  it('headings and paragraphs tile doc.text, one blank line between consecutive blocks', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        const blocks = [...doc.sections.map((s) => s.span), ...doc.paragraphs.map((p) => p.span)].sort((a, b) => a.start - b.start);
        if (blocks.length === 0) {
          expect(doc.text).toBe('');
          return;
        }
        expect(blocks[0]!.start).toBe(0);
        expect(blocks[blocks.length - 1]!.end).toBe(doc.text.length);
        for (let i = 1; i < blocks.length; i++) {
          expect(doc.text.slice(blocks[i - 1]!.end, blocks[i]!.start)).toBe('\n\n');
        }
        for (const span of blocks) {
          const text = doc.text.slice(span.start, span.end);
          expect(text).not.toContain('\n\n');
          expect(text).toBe(text.trim());
        }
      }),
      RUNS,
    );
  });

  it("each section's heading is the text at its span, and its path ends with it", () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        for (const section of doc.sections) {
          expect(doc.text.slice(section.span.start, section.span.end)).toBe(section.heading);
          expect(section.path[section.path.length - 1]).toBe(section.heading);
          for (const i of section.paragraphs) expect(doc.paragraphs[i]!.section).toBe(section.index);
        }
      }),
      RUNS,
    );
  });

  it('normaliseText: the text is its blocks joined by blank lines, and each block span names its text', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const { text, blocks } = normaliseText(raw);
        expect(blocks.map((b) => b.text).join('\n\n')).toBe(text);
        for (const b of blocks) {
          expect(text.slice(b.start, b.end)).toBe(b.text);
          expect(b.text).not.toBe('');
        }
      }),
      RUNS,
    );
  });

  it('segmentSentences: spans are trimmed, non-empty, increasing, and only whitespace lies between them', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom(LONG_FINDING, UNBROKEN, `${LONG_FINDING} ${UNBROKEN}. Next.`)), (text) => {
        const spans = segmentSentences(text);
        let at = 0;
        for (const [start, end] of spans) {
          expect(start).toBeGreaterThanOrEqual(at);
          expect(end).toBeGreaterThan(start);
          expect(text.slice(at, start).trim()).toBe('');
          const sentence = text.slice(start, end);
          expect(sentence).toBe(sentence.trim());
          at = end;
        }
        expect(text.slice(at).trim()).toBe('');
      }),
      RUNS,
    );
  });
});

describe('determinism', () => {
  it('the same text always gives the same document, ids and hashes', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const a = fromText(raw);
        const b = fromText(raw);
        expect(b).toEqual(a);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        expect(a.id).toBe(`doc-${hashText(a.text)}`);
        for (const s of a.sentences) {
          expect(s.hash).toBe(hashText(s.text));
          expect(s.hash).toMatch(/^[0-9a-f]{16}$/);
          expect(s.docId).toBe(a.id);
        }
      }),
      RUNS,
    );
  });

  it('a caller-supplied id is used verbatim and changes nothing else', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const plain = fromText(raw);
        const named = fromText(raw, { id: 'report-1' });
        expect(named.id).toBe('report-1');
        expect(named.sentences.map((s) => s.docId).every((id) => id === 'report-1')).toBe(true);
        expect(named.text).toBe(plain.text);
        expect(named.sentences.map((s) => [s.text, s.hash, s.span])).toEqual(plain.sentences.map((s) => [s.text, s.hash, s.span]));
      }),
      { numRuns: 100 },
    );
  });
});

describe('robustness', () => {
  it('never throws for string input; sentences are non-empty, trimmed and never span a blank line', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        for (const s of doc.sentences) {
          expect(s.text).not.toBe('');
          expect(s.text).toBe(s.text.trim());
          expect(s.text).not.toContain('\n\n');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('no sentence is longer than MAX_SENTENCE_LENGTH, however the over-long text is punctuated', () => {
    // A clause break exactly at the limit must not push the first piece one character over it.
    const atLimit = 'Plans are reviewed '.repeat(60).slice(0, MAX_SENTENCE_LENGTH) + '; and more.';
    const lengths = segmentSentences(atLimit).map(([s, e]) => e - s);
    expect(lengths.length).toBeGreaterThan(1);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_SENTENCE_LENGTH);
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom(LONG_FINDING, UNBROKEN, atLimit)), (raw) => {
        for (const s of fromText(raw).sentences) expect(s.text.length).toBeLessThanOrEqual(MAX_SENTENCE_LENGTH);
      }),
      { numRuns: 500 },
    );
  });

  it('segmentation time grows linearly: one 200 KB paragraph of 5,000 sentences takes well under 2 s', () => {
    const raw = 'Social workers visit children regularly. '.repeat(5000);
    const t0 = performance.now();
    const doc = fromText(raw);
    const ms = performance.now() - t0;
    expect(doc.sentences).toHaveLength(5000);
    expect(ms).toBeLessThan(2_000);
  });

  it('handles a megabyte of report-like text split into paragraphs', () => {
    const block = `${FINDINGS.join(' ')}\n\n${HEADINGS.join('\n\n')}\n\n- ${FINDINGS[0]}\r\n21. ${FINDINGS[1]}\n\f\n`;
    const raw = Array.from({ length: Math.ceil(1_000_000 / block.length) }, (_, i) => block.replace('72%', `${i}%`)).join('');
    const t0 = performance.now();
    const doc = fromText(raw);
    expect(doc.sentences.length).toBeGreaterThan(1000);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('refuses non-strings with INPUT_TYPE and over-long text with INPUT_TOO_LARGE, without reading it', () => {
    for (const value of [null, undefined, 42, new Uint8Array(4), {}]) {
      let error: unknown;
      try {
        fromText(value as unknown as string);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).code).toBe('INPUT_TYPE');
    }
    const huge = ' '.repeat(MAX_TEXT_LENGTH + 1);
    expect(() => fromText(huge)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
    // Exactly at the limit is still accepted.
    expect(fromText(huge.slice(1)).sentences).toEqual([]);
  });
});
