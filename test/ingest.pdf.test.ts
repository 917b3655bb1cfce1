import { describe, expect, it } from 'vitest';
import { IngestError } from '../src/errors.js';
import { fromPdf } from '../src/ingest/pdf.js';
import { makeEncryptedPdf, makeLongPdf, makeTextPdf, makeZeroPagePdf, truncate } from './helpers/pdf-fixtures.js';

const FINDING = 'Child protection plans do not always include measurable timescales for agreed actions.';
const reportPdf = () =>
  makeTextPdf([
    [
      { text: 'Areas for development', size: 16 },
      FINDING,
      'Management oversight is not always evident on case records.',
    ],
    [{ text: 'Strengths', size: 16 }, 'Social workers visit children regularly and see them alone.'],
  ]);

/** Await a promise that must reject, returning what it rejected with and how long it took. */
async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
  throw new Error('expected the promise to reject, but it resolved');
}

function expectIngestError(error: unknown, code: string | string[]): void {
  expect(error).toBeInstanceOf(IngestError);
  const e = error as IngestError;
  expect([code].flat()).toContain(e.code);
  expect(typeof e.message).toBe('string');
  expect(e.message.trim()).not.toBe('');
}

describe('test PDF fixtures', () => {
  it('have a cross-reference table whose offsets point at their objects', () => {
    for (const bytes of [reportPdf(), makeEncryptedPdf(), makeZeroPagePdf(), makeLongPdf(3)]) {
      const text = new TextDecoder('latin1').decode(bytes);
      const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
      expect(text.startsWith('xref\n', startxref)).toBe(true);
      const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
      expect(entries.length).toBeGreaterThan(0);
      entries.forEach((offset, i) => expect(text.startsWith(`${i + 1} 0 obj\n`, offset)).toBe(true));
    }
  });
});

describe('fromPdf on a text PDF', () => {
  it('returns the text as sentences, with a larger-type line as a section heading', async () => {
    const doc = await fromPdf(reportPdf());
    expect(doc.pages).toBe(2);
    const finding = doc.sentences.find((s) => s.text === FINDING);
    expect(finding).toBeDefined();
    expect(finding!.section).toBe('Areas for development');
    expect(doc.sentences.map((s) => s.text)).toEqual([
      FINDING,
      'Management oversight is not always evident on case records.',
      'Social workers visit children regularly and see them alone.',
    ]);
    expect(doc.sections.map((s) => s.heading)).toEqual(['Areas for development', 'Strengths']);
    for (const s of doc.sentences) expect(doc.text.slice(s.span.start, s.span.end)).toBe(s.text);
  });

  it('gives byte-identical JSON for the same bytes on two runs', async () => {
    const bytes = reportPdf();
    const first = JSON.stringify(await fromPdf(bytes));
    const second = JSON.stringify(await fromPdf(bytes));
    expect(second).toBe(first);
    // And for an independently generated copy of the same PDF.
    expect(JSON.stringify(await fromPdf(reportPdf()))).toBe(first);
  });

  it("neither detaches nor modifies the caller's buffer", async () => {
    const bytes = reportPdf();
    const before = bytes.slice();
    await fromPdf(bytes);
    expect(bytes.buffer.byteLength).toBe(before.byteLength); // a detached buffer has byteLength 0
    expect(bytes.byteLength).toBe(before.byteLength);
    expect(bytes).toEqual(before);
    // Still usable: a second ingestion of the same array works.
    expect((await fromPdf(bytes)).sentences.length).toBe(3);
  });

  it('finishes a 500-page PDF within a bounded time', { timeout: 120_000 }, async () => {
    const bytes = makeLongPdf(500);
    const t0 = performance.now();
    const doc = await fromPdf(bytes);
    const ms = performance.now() - t0;
    expect(doc.pages).toBe(500);
    expect(doc.sentences).toHaveLength(500);
    expect(doc.sentences[499]!.text).toBe('Visit record tf shows the child was seen alone.');
    expect(ms).toBeLessThan(60_000);
  });
});

describe('fromPdf refuses what it cannot read, with a coded IngestError', () => {
  it.each([
    ['a UTF-8 text file', () => new TextEncoder().encode('Social workers visit children regularly.\n'), 'PDF_INVALID'],
    ['an empty array', () => new Uint8Array(0), 'PDF_INVALID'],
    ['a header and nothing else', () => new TextEncoder().encode('%PDF-1.4\n'), 'PDF_INVALID'],
    ['an encrypted PDF (the empty password does not open it)', makeEncryptedPdf, 'PDF_ENCRYPTED'],
    ['a PDF with zero pages', makeZeroPagePdf, 'PDF_EMPTY'],
  ] as const)('%s', async (_name, make, code) => {
    const { error, ms } = await rejection(fromPdf(make()));
    expectIngestError(error, code);
    expect(ms).toBeLessThan(10_000);
  });

  it('a truncated PDF settles quickly: either PDF_INVALID or a recovered document, never a crash', async () => {
    const bytes = truncate(reportPdf(), 0.5);
    const t0 = performance.now();
    const outcome = await fromPdf(bytes).then(
      (doc) => ({ doc }),
      (error: unknown) => ({ error }),
    );
    expect(performance.now() - t0).toBeLessThan(10_000);
    if ('error' in outcome) expectIngestError(outcome.error, 'PDF_INVALID');
    else expect(Array.isArray(outcome.doc.sentences)).toBe(true);
  });

  it.each([
    ['a string', '%PDF-1.4'],
    ['null', null],
    ['a number', 42],
    ['undefined', undefined],
    ['an ArrayBuffer', new ArrayBuffer(8)],
  ])('a non-Uint8Array argument (%s) is INPUT_TYPE', async (_name, value) => {
    const { error, ms } = await rejection(fromPdf(value as unknown as Uint8Array));
    expectIngestError(error, 'INPUT_TYPE');
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses a PDF with more pages than maxPages as PDF_TOO_LARGE', async () => {
    const { error } = await rejection(fromPdf(makeLongPdf(3), { maxPages: 2 }));
    expectIngestError(error, 'PDF_TOO_LARGE');
  });
});
