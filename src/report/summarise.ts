/**
 * Report-level analysis: a whole report (text or PDF bytes) → its findings by
 * theme and polarity, per section, with the report's own judgements and the
 * strongest findings per theme. summariseReports aggregates many reports.
 */
import { IngestError } from '../errors.js';
import { fromText } from '../ingest/text.js';
import { fromPdf } from '../ingest/pdf.js';
import { POLARITIES, type DocumentMeta, type FindingResult, type Polarity, type ReportDocument, type Span } from '../schemas.js';
import { assertClassifier, type Classifier } from '../classify/classifier.js';
import { assertArray, assertInteger, assertReportDocument, describeType, isRecord, isReportDocument } from '../guards.js';
import { extractJudgements, type Judgement } from './judgements.js';

export interface ReportFinding extends FindingResult {
  /** Index of the sentence in the report. */
  sentence: number;
  /** Character span in the report's normalised text. */
  span: Span;
  sectionPath: string[];
}

export type CountTable = Record<string, Record<Polarity, number>>;

export interface SectionSummary {
  heading: string;
  path: string[];
  findings: number[];
  counts: CountTable;
}

export interface ReportSummary {
  id: string;
  meta: DocumentMeta;
  pages?: number;
  sentences: number;
  findings: ReportFinding[];
  /** Theme (including "none") × polarity over the findings. */
  counts: CountTable;
  sections: SectionSummary[];
  judgements: Judgement[];
  /** The strongest negative and positive findings per theme. */
  notable: Record<string, { negative: ReportFinding[]; positive: ReportFinding[] }>;
  /** The normalised report text that every span indexes. */
  text: string;
}

export interface SummariseOptions {
  id?: string;
  meta?: DocumentMeta;
  /** How many notable findings to keep per theme and polarity (default 3). */
  notable?: number;
}

const zeroRow = () => Object.fromEntries(POLARITIES.map((p) => [p, 0])) as Record<Polarity, number>;

/**
 * The row of `table` for `theme`, created (as an own property) when missing. Theme ids come
 * from data, so never `table[theme] ??= …`: for "__proto__" or "constructor" that reads or
 * writes Object.prototype instead of the table.
 */
function rowOf(table: CountTable, theme: string): Record<Polarity, number> {
  if (!Object.hasOwn(table, theme)) Object.defineProperty(table, theme, { value: zeroRow(), writable: true, enumerable: true, configurable: true });
  return table[theme]!;
}

/** A zeroed theme × polarity table: one own row per theme given (whatever its name), plus "none". */
export function emptyCounts(themes: readonly string[]): CountTable {
  assertArray(themes, 'emptyCounts (themes)');
  themes.forEach((theme, i) => {
    if (typeof theme !== 'string') throw new TypeError(`emptyCounts: themes[${i}] must be a string, got ${describeType(theme)}`);
  });
  return Object.fromEntries([...themes, 'none'].map((theme) => [theme, zeroRow()]));
}

function addToCounts(table: CountTable, finding: FindingResult): void {
  const themes = finding.themes.length > 0 ? finding.themes.map((t) => t.theme) : ['none'];
  for (const theme of themes) rowOf(table, theme)[finding.polarity]++;
}

/** Every sentence of a document, classified: the finding candidates with their place in the text. */
export function classifyDocument(input: string | ReportDocument, classifier: Classifier): ReportFinding[] {
  assertClassifier(classifier, 'classifyDocument (classifier)');
  if (typeof input !== 'string') assertReportDocument(input, 'classifyDocument');
  const doc = typeof input === 'string' ? fromText(input) : input;
  const results = classifier.classifyMany(doc.sentences.map((s) => ({ text: s.text, ...(s.section !== undefined ? { section: s.section } : {}), kind: s.kind })));
  return doc.sentences.map((s, i) => ({ ...results[i]!, sentence: s.index, span: s.span, sectionPath: s.sectionPath }));
}

export async function toDocument(input: string | Uint8Array | ReportDocument, options: SummariseOptions = {}): Promise<ReportDocument> {
  const ingest = { ...(options.id !== undefined ? { id: options.id } : {}), ...(options.meta !== undefined ? { meta: options.meta } : {}) };
  if (typeof input === 'string') return fromText(input, ingest);
  if (input instanceof Uint8Array) return fromPdf(input, ingest);
  if (isReportDocument(input)) return input;
  throw new IngestError('INPUT_TYPE', `summariseReport expects text (string), PDF bytes (Uint8Array) or a document, got ${isRecord(input) ? 'an object that is not a report document' : describeType(input)}`);
}

/** The `notable` limit: a non-negative integer (default 3). */
export function notableLimit(notable: unknown, where: string): number {
  if (notable === undefined) return 3;
  assertInteger(notable, `${where} (options.notable)`, 0);
  return notable;
}

export function summariseDocument(doc: ReportDocument, classifier: Classifier, options: SummariseOptions = {}): ReportSummary {
  const themes = classifier.themes.map((t) => t.id);
  const all = classifyDocument(doc, classifier);
  const findings = all.filter((f) => f.isFinding);
  const counts = emptyCounts(themes);
  for (const f of findings) addToCounts(counts, f);

  const sections: SectionSummary[] = doc.sections.map((s) => ({ heading: s.heading, path: s.path, findings: [], counts: emptyCounts(themes) }));
  findings.forEach((f, i) => {
    const sectionIndex = doc.paragraphs[doc.sentences[f.sentence]!.paragraph]?.section;
    if (sectionIndex === undefined) return;
    sections[sectionIndex]!.findings.push(i);
    addToCounts(sections[sectionIndex]!.counts, f);
  });

  const limit = notableLimit(options.notable, 'summariseReport');
  const notable: ReportSummary['notable'] = {};
  for (const theme of themes) {
    const about = findings.filter((f) => f.themes.some((t) => t.theme === theme));
    const strongest = (p: 'negative' | 'positive') =>
      about
        .filter((f) => f.polarity === p)
        .sort((a, b) => b.polarityScores[p] - a.polarityScores[p] || a.sentence - b.sentence)
        .slice(0, limit);
    notable[theme] = { negative: strongest('negative'), positive: strongest('positive') };
  }
  return {
    id: doc.id,
    meta: doc.meta,
    ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
    sentences: doc.sentences.length,
    findings,
    counts,
    sections: sections.filter((s) => s.findings.length > 0),
    judgements: extractJudgements(doc),
    notable,
    text: doc.text,
  };
}

export interface ReportsTable {
  reports: Array<{ id: string; authority?: string; date?: string; findings: number; counts: CountTable; judgements: Judgement[] }>;
  overall: CountTable;
  /** Flat rows (report, theme, polarity, count), ready for a spreadsheet. */
  rows: Array<{ report: string; theme: string; polarity: Polarity; count: number }>;
}

/** Aggregate many report summaries: a theme × polarity table per report and overall. */
export function aggregateSummaries(summaries: readonly ReportSummary[], themes: readonly string[]): ReportsTable {
  assertArray(summaries, 'aggregateSummaries (summaries)');
  assertArray(themes, 'aggregateSummaries (themes)');
  summaries.forEach((s, i) => {
    const where = `aggregateSummaries: summaries[${i}]`;
    if (!isRecord(s) || typeof s.id !== 'string' || !isRecord(s.meta) || !Array.isArray(s.findings) || !isRecord(s.counts)) {
      throw new TypeError(`${where} must be a report summary (from summariseReport), got ${isRecord(s) ? 'an object that is not a summary' : describeType(s)}`);
    }
    for (const [theme, byPolarity] of Object.entries(s.counts)) {
      if (!isRecord(byPolarity)) throw new TypeError(`${where}.counts.${theme} must be an object of counts, got ${describeType(byPolarity)}`);
      for (const p of POLARITIES) assertInteger(byPolarity[p], `${where}.counts.${theme}.${p}`, 0);
    }
  });
  const overall = emptyCounts(themes);
  const rows: ReportsTable['rows'] = [];
  const reports = summaries.map((s) => {
    for (const [theme, byPolarity] of Object.entries(s.counts)) {
      const total = rowOf(overall, theme);
      for (const p of POLARITIES) {
        total[p] += byPolarity[p];
        rows.push({ report: s.id, theme, polarity: p, count: byPolarity[p] });
      }
    }
    return {
      id: s.id,
      ...(s.meta.authority !== undefined ? { authority: s.meta.authority } : {}),
      ...(s.meta.date !== undefined ? { date: s.meta.date } : {}),
      findings: s.findings.length,
      counts: s.counts,
      judgements: s.judgements,
    };
  });
  return { reports, overall, rows };
}
