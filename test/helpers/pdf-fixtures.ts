/**
 * Small PDFs generated at test time, in pure TypeScript. PDF files are never
 * committed (a repository hook rejects them), so every PDF a test needs is
 * built here from text: one A4 page per entry, standard Helvetica (Type1,
 * WinAnsiEncoding), and a cross-reference table with exact byte offsets so
 * that pdf.js reads each file without falling back to repair.
 */

/** A line of text on a page: a plain string is set in 11 pt Helvetica. */
export type FixtureLine = string | { text: string; size?: number; bold?: boolean };

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
/** First baseline, well below the 72 pt margin where running headers live. */
const TOP = PAGE_HEIGHT - 110;
const LEFT = 72;
const BODY_SIZE = 11;

const latin1 = (text: string): Uint8Array => {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c <= 0xff ? c : 0x3f; // '?' for anything outside Latin-1
  }
  return out;
};

/** A PDF literal string: backslash, parentheses and line breaks escaped. */
function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n')})`;
}

/**
 * Assemble a PDF from its indirect objects (object n is `objects[n - 1]`),
 * writing a classic xref table whose offsets are exact byte positions.
 */
function assemble(objects: string[], trailerExtra = ''): Uint8Array {
  // Header with a binary comment, as real writers emit, so tools treat the file as binary.
  let body = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  objects.forEach((content, i) => {
    offsets.push(body.length); // Latin-1: one character per byte
    body += `${i + 1} 0 obj\n${content}\nendobj\n`;
  });
  const xrefAt = body.length;
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) xref += `${String(offset).padStart(10, '0')} 00000 n \n`;
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailerExtra} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return latin1(body + xref + trailer);
}

function stream(content: string, dict = ''): string {
  return `<< /Length ${latin1(content).length}${dict} >>\nstream\n${content}\nendstream`;
}

function pageContent(lines: FixtureLine[]): string {
  const ops: string[] = [];
  let y = TOP;
  for (const line of lines) {
    const { text, size = BODY_SIZE, bold = false } = typeof line === 'string' ? { text: line } : line;
    ops.push(`BT /${bold ? 'F2' : 'F1'} ${size} Tf ${LEFT} ${y} Td ${pdfString(text)} Tj ET`);
    y -= Math.round(size * 1.45);
    if (y < 90) throw new Error('pdf-fixtures: too many lines for one page');
  }
  return ops.join('\n');
}

/**
 * A text PDF: each entry of `pages` is one page, each line drawn on its own
 * baseline from the top. Lines may be `{ text, size, bold }` to set a heading
 * in larger (or bold) type.
 */
export function makeTextPdf(pages: FixtureLine[][]): Uint8Array {
  // 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, then a page and its content per page.
  const objects: string[] = [];
  const kids = pages.map((_, i) => `${5 + 2 * i} 0 R`);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  pages.forEach((lines, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${6 + 2 * i} 0 R >>`,
    );
    objects.push(stream(pageContent(lines)));
  });
  return assemble(objects);
}

/** Spell a number in letters ("a", "b", … "ba") so page texts differ in more than digits. */
function letters(n: number): string {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

/**
 * `n` pages with one short, distinct sentence each. The sentences differ in
 * letters, not only digits, so they are not mistaken for running headers.
 */
export function makeLongPdf(n: number): Uint8Array {
  return makeTextPdf(Array.from({ length: n }, (_, i) => [`Visit record ${letters(i)} shows the child was seen alone.`]));
}

/** A well-formed catalog whose page tree is empty: /Count 0 and no kids. */
export function makeZeroPagePdf(): Uint8Array {
  return assemble(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
}

/**
 * A PDF encrypted with the standard security handler (/V 1 /R 2, 40-bit RC4)
 * whose O and U entries match no password a reader would try: the empty user
 * password does not validate, so pdf.js must ask for a password. The page's
 * content is irrelevant — a reader never gets that far.
 */
export function makeEncryptedPdf(): Uint8Array {
  const hex = (seed: number) =>
    Array.from({ length: 32 }, (_, i) => ((seed * 31 + i * 97 + 13) & 0xff).toString(16).padStart(2, '0')).join('');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Contents 4 0 R >>`,
    stream('BT ET'),
    `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <${hex(7)}> /U <${hex(11)}> >>`,
  ];
  const id = '<0123456789abcdef0123456789abcdef>';
  return assemble(objects, ` /Encrypt 5 0 R /ID [${id} ${id}]`);
}

/** The first `fraction` (0..1) of the bytes, as a new array. */
export function truncate(bytes: Uint8Array, fraction: number): Uint8Array {
  const keep = Math.max(0, Math.min(bytes.length, Math.floor(bytes.length * fraction)));
  return bytes.slice(0, keep);
}
