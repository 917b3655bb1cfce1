/**
 * The grades a report states about itself (extractJudgements), against the
 * shared corpus manifest: every manifest entry with at least one grade is
 * ingested from its PDF (through the segmentation cache: the first run takes
 * about 100 s) and its extracted grades compared, per judgement area and
 * overall. The agreement table and every disagreement are printed, with the
 * text each extracted grade came from. Some manifest rows contradict the
 * report's own text; they are listed like any other disagreement, not excused.
 * Skips, naming why, when ../shared is absent.
 *
 * Also: the 2010 committee report seed (bromley-2010-07-20) and its
 * "Grade 3 (Adequate)" lines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { extractJudgements, fromText, JudgementAreaSchema, type Judgement, type JudgementArea, type ManifestEntry } from '../src/index.js';
import { loadSeedDocuments, loadSharedDocument, readManifest, sharedCorpusDir } from '../src/corpus/files.js';
import { describeShared, sharedMissing } from './helpers/corpus.js';

const AREAS = JudgementAreaSchema.options;
const MIN_AGREEMENT = 0.98;

interface Comparison {
  id: string;
  area: JudgementArea;
  manifest: string;
  extracted?: Judgement;
}

describeShared('extractJudgements against the shared corpus manifest (every entry with a grade)', () => {
  const entries: ManifestEntry[] = sharedMissing ? [] : readManifest().filter((e) => Object.keys(e.grades).length > 0);
  const comparisons: Comparison[] = [];

  beforeAll(async () => {
    const dir = sharedCorpusDir();
    for (const entry of entries) {
      const judgements = extractJudgements(await loadSharedDocument(dir, entry.id));
      for (const area of AREAS) {
        const grade = entry.grades[area];
        if (grade === undefined) continue;
        const extracted = judgements.find((j) => j.area === area);
        comparisons.push({ id: entry.id, area, manifest: grade, ...(extracted ? { extracted } : {}) });
      }
    }

    const rows = [...AREAS, 'overall' as const].map((area) => {
      const mine = area === 'overall' ? comparisons : comparisons.filter((c) => c.area === area);
      const agreed = mine.filter((c) => c.extracted?.grade === c.manifest).length;
      const missing = mine.filter((c) => c.extracted === undefined).length;
      return { area, agreed, total: mine.length, pct: mine.length ? (100 * agreed) / mine.length : NaN, missing };
    });
    const table = [
      `Judgement agreement with the manifest (${entries.length} reports with at least one grade)`,
      `${'area'.padEnd(22)} ${'agreed'.padStart(6)} ${'total'.padStart(6)} ${'%'.padStart(7)} ${'not found'.padStart(9)}`,
      ...rows.map((r) => `${r.area.padEnd(22)} ${String(r.agreed).padStart(6)} ${String(r.total).padStart(6)} ${r.pct.toFixed(1).padStart(7)} ${String(r.missing).padStart(9)}`),
    ].join('\n');
    const disagreements = comparisons
      .filter((c) => c.extracted?.grade !== c.manifest)
      .map((c) =>
        c.extracted
          ? `  ${c.id}  ${c.area}: manifest "${c.manifest}", extracted "${c.extracted.grade}" (${c.extracted.source}) from ${JSON.stringify(c.extracted.text)}`
          : `  ${c.id}  ${c.area}: manifest "${c.manifest}", extracted nothing`,
      );
    console.log(`${table}\n\nDisagreements (${disagreements.length}):\n${disagreements.join('\n') || '  none'}\n`);
  }, 600_000);

  it('reads grades for every graded manifest entry', () => {
    expect(entries.length).toBeGreaterThan(100);
    expect(comparisons.length).toBe(entries.reduce((n, e) => n + Object.keys(e.grades).length, 0));
  });

  it(`agrees with the manifest on at least ${MIN_AGREEMENT * 100}% of the grades overall`, () => {
    const agreed = comparisons.filter((c) => c.extracted?.grade === c.manifest).length;
    expect(agreed / comparisons.length).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('says where every extracted grade came from', () => {
    for (const c of comparisons) {
      if (!c.extracted) continue;
      expect(c.extracted.text.trim().length, `${c.id} ${c.area}`).toBeGreaterThan(0);
      expect(['table', 'heading', 'grade-line', 'statement']).toContain(c.extracted.source);
    }
  });
});

describe('extractJudgements on the 2010 committee report seed (bromley-2010-07-20)', () => {
  const doc = loadSeedDocuments().find((d) => d.id === 'bromley-2010-07-20')!;

  it('finds overall effectiveness "adequate"', () => {
    const overall = extractJudgements(doc).find((j) => j.area === 'overall_effectiveness');
    expect(overall?.grade).toBe('adequate');
  });

  it('reads it from the "Grade 3 (Adequate)" line under the "Overall effectiveness" heading, without the main-findings table', () => {
    // The report states each grade twice: as "Overall effectiveness / Grade 3 (Adequate)"
    // under its heading, and again in the "Record of main findings" table at the end.
    // The table is read first, so cut it off to see the grade lines on their own.
    const cut = doc.text.indexOf('Record of main findings');
    expect(cut).toBeGreaterThan(0);
    expect(doc.text.slice(0, cut)).toMatch(/Overall effectiveness\s+Grade 3 \(Adequate\)/);
    const judgements = extractJudgements(fromText(doc.text.slice(0, cut), { id: 'bromley-2010-07-20-without-table' }));
    const overall = judgements.find((j) => j.area === 'overall_effectiveness');
    expect(overall, `judgements found: ${JSON.stringify(judgements)}`).toBeDefined();
    expect(overall!.grade).toBe('adequate');
    expect(overall!.text).toMatch(/Grade 3 \(Adequate\)/);
  });
});
