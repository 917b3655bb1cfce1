/**
 * The shared corpus manifest (manifest.csv) → typed entries. Pure parsing, so
 * it runs anywhere; reading the files is in the Node entry.
 */
import { IngestError } from '../errors.js';
import { GradeSchema, JudgementAreaSchema, type JudgementArea, type ManifestEntry } from '../schemas.js';

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

const REQUIRED = ['id', 'local_authority', 'published', 'sha256'] as const;

export function parseManifest(csv: string): ManifestEntry[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new IngestError('CORPUS_INVALID', 'manifest.csv is empty');
  for (const column of REQUIRED) {
    if (!header.includes(column)) throw new IngestError('CORPUS_INVALID', `manifest.csv has no "${column}" column`, { path: [column] });
  }
  return rows.map((cells, line) => {
    const get = (name: string) => cells[header.indexOf(name)]?.trim() ?? '';
    const grades: Partial<Record<JudgementArea, ManifestEntry['grades'][JudgementArea]>> = {};
    const gradeNotes: Partial<Record<JudgementArea, string>> = {};
    for (const area of JudgementAreaSchema.options) {
      const value = get(area);
      const grade = GradeSchema.safeParse(value);
      if (grade.success) grades[area] = grade.data;
      else if (value !== '') gradeNotes[area] = value;
    }
    const id = get('id');
    if (id === '') throw new IngestError('CORPUS_INVALID', `manifest.csv row ${line + 2} has no id`, { path: [line + 2, 'id'] });
    return {
      id,
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
