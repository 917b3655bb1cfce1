/**
 * The shared corpus manifest (manifest.csv) → typed entries. Pure parsing, so
 * it runs anywhere; reading the files is in the Node entry.
 */
import { IngestError } from '../errors.js';
import { assertString } from '../guards.js';
import { GradeSchema, JudgementAreaSchema, type JudgementArea, type ManifestEntry } from '../schemas.js';

interface CsvRow {
  cells: string[];
  /** 1-based line of the input on which the row starts. */
  line: number;
}

interface CsvRead {
  rows: CsvRow[];
  /** Line on which a quoted field opened and never closed, if any. */
  unterminated?: number;
  /** Line of the first quote inside an unquoted field, or of text after a closing quote, if any. */
  stray?: number;
}

/**
 * RFC 4180 reader that keeps, for each row, the line it starts on and notes
 * malformed quoting (parseCsv stays lenient; parseManifest refuses it).
 */
function readCsv(text: string): CsvRead {
  const rows: CsvRow[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  /** The current field has been quoted (so it exists even when empty). */
  let fieldQuoted = false;
  /** Some field of the current row was quoted. */
  let rowQuoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  let unterminated: number | undefined;
  let stray: number | undefined;
  const endRow = () => {
    row.push(field);
    // Blank lines are skipped; an explicitly quoted empty cell ("") is a row.
    if (row.length > 1 || row[0] !== '' || rowQuoted) rows.push({ cells: row, line: rowLine });
    row = [];
    field = '';
    fieldQuoted = false;
    rowQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== '' || fieldQuoted) stray ??= line;
      quoted = true;
      fieldQuoted = true;
      rowQuoted = true;
      quoteLine = line;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldQuoted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      if (fieldQuoted) stray ??= line;
      field += c;
    }
  }
  if (quoted) unterminated = quoteLine;
  if (field !== '' || row.length > 0 || rowQuoted) endRow();
  return { rows, ...(unterminated !== undefined ? { unterminated } : {}), ...(stray !== undefined ? { stray } : {}) };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Blank lines are skipped; a quoted empty cell ("") is kept. */
export function parseCsv(text: string): string[][] {
  assertString(text, 'parseCsv');
  return readCsv(text).rows.map((r) => r.cells);
}

const REQUIRED = ['id', 'local_authority', 'published', 'sha256'] as const;
/** Required columns that must also have a value in every row (ManifestEntrySchema: id and authority are non-empty). */
const REQUIRED_VALUES = [
  ['id', 'id'],
  ['local_authority', 'authority'],
] as const;

/**
 * manifest.csv → entries. Strict: an unterminated or stray quote, a row whose
 * cell count differs from the header's, a duplicated column or a missing
 * required value is an IngestError CORPUS_INVALID naming the line.
 */
export function parseManifest(csv: string): ManifestEntry[] {
  assertString(csv, 'parseManifest');
  const { rows: all, unterminated, stray } = readCsv(csv);
  if (unterminated !== undefined) {
    throw new IngestError('CORPUS_INVALID', `manifest.csv line ${unterminated}: a quoted field is never closed`, { path: [unterminated] });
  }
  if (stray !== undefined) {
    throw new IngestError('CORPUS_INVALID', `manifest.csv line ${stray}: a quote inside an unquoted field, or text after a closing quote`, { path: [stray] });
  }
  const [headerRow, ...rows] = all;
  if (!headerRow) throw new IngestError('CORPUS_INVALID', 'manifest.csv is empty');
  const header = headerRow.cells.map((c) => c.trim());
  for (const column of REQUIRED) {
    if (!header.includes(column)) throw new IngestError('CORPUS_INVALID', `manifest.csv has no "${column}" column`, { path: [column] });
  }
  const seen = new Set<string>();
  for (const column of header) {
    if (column !== '' && seen.has(column)) throw new IngestError('CORPUS_INVALID', `manifest.csv line ${headerRow.line}: column "${column}" appears twice`, { path: [headerRow.line, column] });
    seen.add(column);
  }
  const columnIndex = new Map(header.map((name, i) => [name, i] as const).reverse());
  return rows.map(({ cells, line }) => {
    if (cells.length !== header.length) {
      throw new IngestError('CORPUS_INVALID', `manifest.csv line ${line}: ${cells.length} cells under a ${header.length}-column header`, { path: [line] });
    }
    const get = (name: string) => {
      const i = columnIndex.get(name);
      return i === undefined ? '' : cells[i]!.trim();
    };
    for (const [column, field] of REQUIRED_VALUES) {
      if (get(column) === '') throw new IngestError('CORPUS_INVALID', `manifest.csv line ${line} has no ${column} (the entry's ${field})`, { path: [line, column] });
    }
    const grades: Partial<Record<JudgementArea, ManifestEntry['grades'][JudgementArea]>> = {};
    const gradeNotes: Partial<Record<JudgementArea, string>> = {};
    for (const area of JudgementAreaSchema.options) {
      const value = get(area);
      const grade = GradeSchema.safeParse(value);
      if (grade.success) grades[area] = grade.data;
      else if (value !== '') gradeNotes[area] = value;
    }
    return {
      id: get('id'),
      urn: get('urn'),
      authority: get('local_authority'),
      published: get('published'),
      framework: get('framework'),
      grades,
      gradeNotes,
      sourceUrl: get('source_url'),
      sha256: get('sha256'),
    };
  });
}
