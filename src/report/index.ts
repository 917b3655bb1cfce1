import { createClassifier } from '../classify/index.js';
import { assertClassifier, type Classifier } from '../classify/classifier.js';
import { assertArray, assertOptionsObject } from '../guards.js';
import type { ReportDocument } from '../schemas.js';
import { aggregateSummaries, classifyDocument, notableLimit, summariseDocument, toDocument, type ReportFinding, type ReportSummary, type ReportsTable, type SummariseOptions } from './summarise.js';

export interface SummariseReportOptions extends SummariseOptions {
  /** The classifier to use (default: built-in packs and the bundled model). */
  classifier?: Classifier;
}

let defaultClassifier: Classifier | undefined;
const classifierFor = (options: { classifier?: Classifier }) => options.classifier ?? (defaultClassifier ??= createClassifier());

/** Options checked up front: null or undefined mean defaults; a given classifier must be a real one. */
function checkOptions<T extends { classifier?: Classifier }>(options: T | null | undefined, where: string): T {
  const checked = assertOptionsObject(options, where);
  if (checked.classifier !== undefined && checked.classifier !== null) assertClassifier(checked.classifier, `${where} (options.classifier)`);
  return checked;
}

/** Summarise one report given as text, PDF bytes or an ingested document. */
export async function summariseReport(input: string | Uint8Array | ReportDocument, options: SummariseReportOptions = {}): Promise<ReportSummary> {
  options = checkOptions(options, 'summariseReport');
  notableLimit(options.notable, 'summariseReport');
  const doc = await toDocument(input, options);
  return summariseDocument(doc, classifierFor(options), options);
}

/** Summarise many reports and aggregate them into per-report and overall theme × polarity tables. */
export async function summariseReports(
  inputs: ReadonlyArray<string | Uint8Array | ReportDocument>,
  options: SummariseReportOptions = {},
): Promise<{ summaries: ReportSummary[]; table: ReportsTable }> {
  assertArray(inputs, 'summariseReports');
  options = checkOptions(options, 'summariseReports');
  notableLimit(options.notable, 'summariseReports');
  const classifier = classifierFor(options);
  const summaries: ReportSummary[] = [];
  for (const input of inputs) summaries.push(await summariseReport(input, { ...options, classifier }));
  return { summaries, table: aggregateSummaries(summaries, classifier.themes.map((t) => t.id)) };
}

/**
 * Every sentence of a report (text or an ingested document) as a finding
 * candidate: its classification, with isFinding, plus its place in the text.
 */
export function extractFindings(input: string | ReportDocument, options: { classifier?: Classifier } = {}): ReportFinding[] {
  options = checkOptions(options, 'extractFindings');
  return classifyDocument(input, classifierFor(options));
}
