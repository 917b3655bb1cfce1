/**
 * Positioned PDF text items → report text with light markup that the text
 * normaliser understands: "#" headings (from font size), blank lines between
 * paragraphs (from vertical gaps), tabs between table cells (from horizontal
 * gaps), "\f" between pages. Running headers, footers and page numbers are
 * dropped here, where their position on the page is still known.
 */

export interface PdfTextItem {
  str: string;
  /** The PDF's internal font name; only compared for equality. */
  font?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PdfPage {
  height: number;
  items: PdfTextItem[];
}

interface PdfLine {
  y: number;
  size: number;
  x: number;
  text: string;
  /** The font most of the line is set in. */
  font: string;
}

/** Items whose baselines are this close (in points) share a line. */
const SAME_LINE = 2.5;
/** Top and bottom margins (points) where running headers and footers live. */
const MARGIN = 72;

function groupLines(items: PdfTextItem[]): PdfLine[] {
  const visible = items.filter((it) => it.str.trim() !== '' && it.height > 0);
  visible.sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: PdfTextItem[][] = [];
  // Sorted by baseline, so one pass groups lines in linear time.
  for (const item of visible) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0]!.y - item.y) <= SAME_LINE) row.push(item);
    else rows.push([item]);
  }
  const lines: PdfLine[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    const size = Math.max(...row.map((it) => it.height));
    let text = '';
    let lastEnd = -Infinity;
    for (const item of row) {
      // Superscript footnote markers ("board¹") are smaller digits: drop them.
      if (item.height < size * 0.8 && /^\d{1,2}$/.test(item.str.trim())) continue;
      const gap = item.x - lastEnd;
      if (text !== '') {
        if (gap > size * 2.5) text = text.trimEnd() + '\t';
        else if (gap > size * 0.15 && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
      }
      text += item.str;
      lastEnd = item.x + item.width;
    }
    text = text.replace(/[ ]+/g, ' ').trim();
    if (text !== '') lines.push({ y: row[0]!.y, size, x: row[0]!.x, text, font: dominantFont(row) });
  }
  return lines;
}

function dominantFont(row: PdfTextItem[]): string {
  const weight = new Map<string, number>();
  for (const it of row) weight.set(it.font ?? '', (weight.get(it.font ?? '') ?? 0) + it.str.length);
  let best = '';
  let bestWeight = -1;
  for (const [font, w] of weight) if (w > bestWeight) [best, bestWeight] = [font, w];
  return best;
}

/** The font that most characters are set in: anything else at body size may be a bold heading. */
function bodyFont(pages: PdfLine[][]): string {
  const weight = new Map<string, number>();
  for (const page of pages) for (const line of page) weight.set(line.font, (weight.get(line.font) ?? 0) + line.text.length);
  let best = '';
  let bestWeight = -1;
  for (const [font, w] of weight) if (w > bestWeight) [best, bestWeight] = [font, w];
  return best;
}

function furnitureKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

function isPageNumber(text: string): boolean {
  return /^(page\s+)?\d{1,4}(\s+of\s+\d{1,4})?$/i.test(text.trim());
}

/** The font size that most characters are set in. */
function bodySize(pages: PdfLine[][]): number {
  const weight = new Map<number, number>();
  for (const page of pages) for (const line of page) {
    const size = Math.round(line.size);
    weight.set(size, (weight.get(size) ?? 0) + line.text.length);
  }
  let best = 12;
  let bestWeight = -1;
  for (const [size, w] of weight) if (w > bestWeight) [best, bestWeight] = [size, w];
  return best;
}

export function layoutPdfText(pages: PdfPage[]): string {
  const lined = pages.map((p) => groupLines(p.items));
  // Running headers and footers: the same text (digits aside) in a margin on many pages.
  const marginCounts = new Map<string, number>();
  lined.forEach((lines, i) => {
    const height = pages[i]!.height;
    const seen = new Set<string>();
    for (const line of lines) {
      if (line.y > MARGIN && line.y < height - MARGIN) continue;
      const key = furnitureKey(line.text);
      if (!seen.has(key)) marginCounts.set(key, (marginCounts.get(key) ?? 0) + 1);
      seen.add(key);
    }
  });
  const repeatThreshold = Math.max(2, Math.ceil(pages.length * 0.3));
  const body = bodySize(lined);
  const font = bodyFont(lined);
  const headingSizes = [...new Set(lined.flat().filter((l) => l.size >= body + 1.5).map((l) => Math.round(l.size)))].sort((a, b) => b - a);

  const out: string[] = [];
  lined.forEach((lines, i) => {
    const height = pages[i]!.height;
    const kept = lines.filter((line) => {
      const inMargin = line.y <= MARGIN || line.y >= height - MARGIN;
      if (!inMargin) return true;
      if (isPageNumber(line.text)) return false;
      return (marginCounts.get(furnitureKey(line.text)) ?? 0) < repeatThreshold || pages.length < 2;
    });
    if (i > 0) out.push('\f');
    let prev: PdfLine | undefined;
    let pendingHeading: PdfLine | undefined;
    const flushHeading = () => {
      if (!pendingHeading) return;
      const rank = headingSizes.indexOf(Math.round(pendingHeading.size));
      const depth = rank >= 0 ? Math.min(3, rank + 1) : Math.min(4, headingSizes.length + 1);
      out.push('', `${'#'.repeat(depth)} ${pendingHeading.text}`, '');
      pendingHeading = undefined;
    };
    for (const line of kept) {
      // Larger type is a heading, except title-page facts ("Inspection date: 2 June 2014").
      const larger = line.size >= body + 1.5;
      const boldAtBodySize = font !== '' && line.font !== font && Math.abs(line.size - body) < 1.5 && /^[A-Z]/.test(line.text) && !/[.,;]$/.test(line.text);
      const gapBefore = prev === undefined || prev.y - line.y > Math.max(prev.size, line.size) * 1.6 || pendingHeading !== undefined;
      const isHeading = (larger || (boldAtBodySize && gapBefore)) && line.text.length <= 160 && !line.text.includes('\t') && !/:.*\d{4}/.test(line.text);
      const gap = prev ? prev.y - line.y : 0;
      if (isHeading) {
        const sameHeading =
          pendingHeading !== undefined &&
          Math.round(pendingHeading.size) === Math.round(line.size) &&
          pendingHeading.font === line.font &&
          gap < line.size * 1.8 &&
          pendingHeading.text.length + line.text.length <= 160;
        if (pendingHeading && sameHeading) {
          pendingHeading.text += ` ${line.text}`;
        } else {
          flushHeading();
          pendingHeading = { ...line };
        }
        prev = line;
        continue;
      }
      flushHeading();
      const last = out[out.length - 1];
      if (prev && last !== undefined && last.includes('\t') && !line.text.includes('\t') && Math.abs(line.x - prev.x) < 3 && gap < line.size * 1.5) {
        // A wrapped first cell of the table row above ("The experiences and progress of | Good" / "children in care").
        const tab = last.indexOf('\t');
        out[out.length - 1] = `${last.slice(0, tab)} ${line.text}${last.slice(tab)}`;
        continue;
      }
      if (prev && gap > Math.max(prev.size, line.size) * 1.6) out.push('');
      out.push(line.text);
      prev = line;
    }
    flushHeading();
  });
  return out.join('\n');
}
