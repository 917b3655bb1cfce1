/**
 * PDF bytes → a segmented report. Node only; pdfjs-dist is imported lazily on
 * the first call so that importing the package stays fast and browser-safe.
 */
import { IngestError } from '../errors.js';
import type { IngestOptions, ReportDocument } from '../schemas.js';
import { hashText } from '../segment/hash.js';
import { buildDocument } from '../segment/document.js';
import { describeType } from '../guards.js';
import { normaliseText } from './normalise.js';
import { checkIngestOptions } from './options.js';
import { layoutPdfText, type PdfPage } from './pdf-layout.js';

export interface PdfOptions extends IngestOptions {
  /** Refuse PDFs with more pages than this (default 2000). */
  maxPages?: number;
}

export const MAX_PDF_BYTES = 256 * 1024 * 1024;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs').catch((cause: unknown) => {
    pdfjs = undefined;
    throw new IngestError('PDF_UNAVAILABLE', 'fromPdf needs the pdfjs-dist package (Node only); it could not be loaded', { cause });
  });
  return pdfjs;
}

function classify(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') return new IngestError('PDF_ENCRYPTED', 'the PDF is encrypted and needs a password', { cause: error });
  return new IngestError('PDF_INVALID', `the input is not a readable PDF: ${message}`, { cause: error });
}

/** Read the positioned text of every page. */
export async function readPdfPages(bytes: Uint8Array, maxPages = 2000): Promise<PdfPage[]> {
  if (!(bytes instanceof Uint8Array)) {
    throw new IngestError('INPUT_TYPE', `fromPdf expects a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  if (bytes.byteLength === 0) throw new IngestError('PDF_INVALID', 'the input is empty, not a PDF');
  if (bytes.byteLength > MAX_PDF_BYTES) throw new IngestError('PDF_TOO_LARGE', `the PDF is ${bytes.byteLength} bytes; the limit is ${MAX_PDF_BYTES}`);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) throw new IngestError('PDF_INVALID', 'the input does not start with a PDF header (%PDF-)');
  const { getDocument } = await loadPdfJs();
  // pdfjs may transfer (detach) the buffer it is given, so hand it a copy.
  const task = getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  try {
    const doc = await task.promise;
    if (doc.numPages === 0) throw new IngestError('PDF_EMPTY', 'the PDF has no pages');
    if (doc.numPages > maxPages) throw new IngestError('PDF_TOO_LARGE', `the PDF has ${doc.numPages} pages; the limit is ${maxPages}`);
    const pages: PdfPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items = [];
      for (const it of content.items) {
        if (!('str' in it)) continue;
        items.push({ str: it.str, font: it.fontName, x: it.transform[4] as number, y: it.transform[5] as number, width: it.width, height: it.height });
      }
      pages.push({ height: page.view[3] ?? 842, items });
      page.cleanup();
    }
    return pages;
  } catch (error) {
    throw classify(error);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/** A PDF report → a segmented document (async, Node only). */
export async function fromPdf(bytes: Uint8Array, options: PdfOptions = {}): Promise<ReportDocument> {
  const { id: given, meta, maxPages } = checkIngestOptions(options, 'fromPdf');
  if (maxPages !== undefined) {
    if (typeof maxPages !== 'number') throw new TypeError(`fromPdf options.maxPages must be a number, got ${describeType(maxPages)}`);
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError(`fromPdf options.maxPages must be a positive integer, got ${maxPages}`);
  }
  const pages = await readPdfPages(bytes, maxPages);
  const normalised = normaliseText(layoutPdfText(pages));
  const id = given ?? `doc-${hashText(normalised.text)}`;
  return { ...buildDocument(id, normalised, meta ?? {}), pages: pages.length };
}
