/**
 * Report-level summaries on the seed documents (corpus/seeds): findings with
 * their place in the text, theme × polarity counts, sections, notable
 * findings, the many-report table, input validation, and a custom theme pack
 * (the README's voice-of-the-child pack) flowing through to the counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CORE_THEMES,
  IngestError,
  POLARITIES,
  createClassifier,
  extractFindings,
  parseRulePack,
  summariseReport,
  summariseReports,
  type CountTable,
  type ReportDocument,
  type ReportSummary,
} from '../src/index.js';
import { listSeeds, loadSeedDocuments, packageRoot, seedsDir } from '../src/corpus/files.js';

const LEWISHAM = 'lewisham-2010-12-15';
const BEXLEY = 'bexley-2010-11-17';
const ALL_THEMES = [...CORE_THEMES, 'none'];

const seeds = loadSeedDocuments();
const seed = (id: string): ReportDocument => {
  const doc = seeds.find((d) => d.id === id);
  if (!doc) throw new Error(`seed ${id} is not in corpus/seeds/seeds.json`);
  return doc;
};
const seedText = (id: string): string => {
  const info = listSeeds().find((s) => s.id === id)!;
  return readFileSync(join(seedsDir(), info.file), 'utf8');
};

/** The README's minimal rule pack: the first ```json block after "This minimal pack". */
function readmePack(): string {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const m = /minimal pack[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no ```json block after "This minimal pack"');
  return m[1]!;
}

const total = (counts: CountTable, theme: string) => POLARITIES.reduce((n, p) => n + counts[theme]![p], 0);

describe(`summariseReport on the ${LEWISHAM} letter`, () => {
  let summary: ReportSummary;
  beforeAll(async () => {
    summary = await summariseReport(seed(LEWISHAM));
  });

  it('returns the findings only, each with its section and a span that indexes the report text', () => {
    expect(summary.id).toBe(LEWISHAM);
    expect(summary.findings.length).toBeGreaterThan(10);
    expect(summary.findings.length).toBeLessThanOrEqual(summary.sentences);
    for (const f of summary.findings) {
      expect(f.isFinding).toBe(true);
      expect(typeof f.section, f.text).toBe('string');
      expect(f.section!.length).toBeGreaterThan(0);
      expect(f.sectionPath.at(-1)).toBe(f.section);
      expect(f.span.start).toBeLessThan(f.span.end);
      expect(summary.text.slice(f.span.start, f.span.end)).toBe(f.text);
    }
  });

  it('counts every built-in theme plus "none", each with the four polarities', () => {
    expect(Object.keys(summary.counts).sort()).toEqual([...ALL_THEMES].sort());
    for (const theme of ALL_THEMES) {
      expect(Object.keys(summary.counts[theme]!).sort()).toEqual([...POLARITIES].sort());
      for (const p of POLARITIES) expect(Number.isInteger(summary.counts[theme]![p]) && summary.counts[theme]![p] >= 0).toBe(true);
    }
  });

  it('counts each finding once per theme it carries, or once under "none": the total is at least the number of findings', () => {
    const counted = ALL_THEMES.reduce((n, theme) => n + total(summary.counts, theme), 0);
    expect(counted).toBeGreaterThanOrEqual(summary.findings.length);
    expect(counted).toBe(summary.findings.reduce((n, f) => n + Math.max(1, f.themes.length), 0));
    expect(total(summary.counts, 'none')).toBe(summary.findings.filter((f) => f.themes.length === 0).length);
    for (const p of POLARITIES) {
      const byPolarity = summary.findings.filter((f) => f.polarity === p);
      expect(ALL_THEMES.reduce((n, t) => n + summary.counts[t]![p], 0)).toBe(byPolarity.reduce((n, f) => n + Math.max(1, f.themes.length), 0));
    }
  });

  it('lists only the sections that hold findings, with the findings found under their heading', () => {
    expect(summary.sections.length).toBeGreaterThan(0);
    expect(summary.sections.map((s) => s.heading)).toContain('Strengths');
    expect(summary.sections.map((s) => s.heading)).toContain('Areas for development');
    for (const s of summary.sections) {
      expect(s.findings.length, s.heading).toBeGreaterThan(0);
      for (const i of s.findings) expect(summary.findings[i]!.section).toBe(s.heading);
      expect(ALL_THEMES.reduce((n, t) => n + total(s.counts, t), 0)).toBe(s.findings.reduce((n, i) => n + Math.max(1, summary.findings[i]!.themes.length), 0));
    }
    // Every finding sits in exactly one listed section.
    const listed = summary.sections.flatMap((s) => s.findings).sort((a, b) => a - b);
    expect(listed).toEqual(summary.findings.map((_, i) => i));
  });

  it('keeps, for every theme, at most 3 negative and 3 positive notable findings: the strongest, strongest first', () => {
    expect(Object.keys(summary.notable).sort()).toEqual([...CORE_THEMES].sort());
    for (const theme of CORE_THEMES) {
      for (const p of ['negative', 'positive'] as const) {
        const notable = summary.notable[theme]![p];
        const candidates = summary.findings.filter((f) => f.polarity === p && f.themes.some((t) => t.theme === theme));
        expect(notable.length, `${theme} ${p}`).toBe(Math.min(3, candidates.length));
        for (const f of notable) {
          expect(f.polarity).toBe(p);
          expect(f.themes.map((t) => t.theme)).toContain(theme);
        }
        const scores = notable.map((f) => f.polarityScores[p]);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        // Nothing left out is stronger than the weakest kept.
        const weakest = scores.at(-1) ?? Infinity;
        for (const f of candidates.filter((c) => !notable.includes(c))) expect(f.polarityScores[p]).toBeLessThanOrEqual(weakest);
      }
    }
    expect(summary.notable['supervision']!.negative.length + summary.notable['recording']!.negative.length).toBeGreaterThan(0);
  });

  it('reads "Child protection plans do not always include measurable timescales for agreed actions." as a negative finding under "Areas for development"', () => {
    const text = 'Child protection plans do not always include measurable timescales for agreed actions.';
    const f = summary.findings.find((x) => x.text === text);
    expect(f, 'the sentence is among the findings').toBeDefined();
    expect(f!.polarity).toBe('negative');
    expect(f!.section).toBe('Areas for development');
    const section = summary.sections.find((s) => s.heading === 'Areas for development')!;
    expect(section.findings.map((i) => summary.findings[i]!.text)).toContain(text);
    expect(section.counts['none']!.negative + CORE_THEMES.reduce((n, t) => n + section.counts[t]!.negative, 0)).toBeGreaterThan(0);

    // extractFindings sees the same sentence the same way, among every sentence of the report.
    const all = extractFindings(seed(LEWISHAM));
    expect(all).toHaveLength(summary.sentences);
    const same = all.find((x) => x.text === text)!;
    expect(same).toMatchObject({ isFinding: true, polarity: 'negative', section: 'Areas for development', span: f!.span });
  });
});

describe('summariseReports over the five seeds', () => {
  it('returns a summary per report and a table whose overall counts are the sums of the per-report counts, with spreadsheet rows', async () => {
    expect(seeds).toHaveLength(5);
    const { summaries, table } = await summariseReports(seeds);
    expect(summaries).toHaveLength(5);
    expect(summaries.map((s) => s.id)).toEqual(seeds.map((d) => d.id));
    expect(table.reports.map((r) => r.id)).toEqual(seeds.map((d) => d.id));
    table.reports.forEach((r, i) => {
      expect(r.findings).toBe(summaries[i]!.findings.length);
      expect(r.counts).toEqual(summaries[i]!.counts);
      expect(r.authority).toBe(seeds[i]!.meta.authority);
      expect(r.date).toBe(seeds[i]!.meta.date);
    });

    expect(Object.keys(table.overall).sort()).toEqual([...ALL_THEMES].sort());
    for (const theme of ALL_THEMES) {
      for (const p of POLARITIES) {
        expect(table.overall[theme]![p], `${theme} × ${p}`).toBe(summaries.reduce((n, s) => n + s.counts[theme]![p], 0));
      }
    }

    // One row per report × theme × polarity, with exactly the four spreadsheet columns.
    expect(table.rows).toHaveLength(5 * ALL_THEMES.length * POLARITIES.length);
    for (const row of table.rows) {
      expect(Object.keys(row).sort()).toEqual(['count', 'polarity', 'report', 'theme']);
      const s = summaries.find((x) => x.id === row.report)!;
      expect(row.count).toBe(s.counts[row.theme]![row.polarity]);
    }
    const keys = new Set(table.rows.map((r) => `${r.report}|${r.theme}|${r.polarity}`));
    expect(keys.size).toBe(table.rows.length);
    expect(table.rows.reduce((n, r) => n + r.count, 0)).toBe(ALL_THEMES.reduce((n, t) => n + total(table.overall, t), 0));
  });
});

describe('summariseReport inputs', () => {
  it.each([
    ['a number', 42],
    ['null', null],
  ])('rejects %s with an IngestError (code INPUT_TYPE)', async (_name, input) => {
    const attempt = summariseReport(input as never);
    await expect(attempt).rejects.toBeInstanceOf(IngestError);
    await expect(attempt).rejects.toMatchObject({ code: 'INPUT_TYPE' });
  });

  it('accepts plain text and an ingested ReportDocument, with the same findings', async () => {
    const fromDocument = await summariseReport(seed(LEWISHAM));
    const fromString = await summariseReport(seedText(LEWISHAM));
    expect(fromDocument.id).toBe(LEWISHAM);
    expect(fromDocument.meta.authority).toBe('lewisham');
    expect(fromString.findings.map((f) => [f.text, f.polarity, f.section])).toEqual(fromDocument.findings.map((f) => [f.text, f.polarity, f.section]));
    expect(fromString.counts).toEqual(fromDocument.counts);

    const named = await summariseReport(seedText(LEWISHAM), { id: 'my-letter' });
    expect(named.id).toBe('my-letter');
  });
});

describe("a custom theme pack (the README's voice-of-the-child pack)", () => {
  it('flows through summariseReport into counts and notable findings, beside the built-in themes', async () => {
    const pack = parseRulePack(readmePack());
    expect(pack.themes?.map((t) => t.id)).toEqual(['voice-of-the-child']);
    const classifier = createClassifier({ rulePacks: [pack] });

    const summary = await summariseReport(seedText(BEXLEY), { classifier });
    const votc = summary.counts['voice-of-the-child'];
    expect(votc).toBeDefined();
    expect(Object.keys(votc!).sort()).toEqual([...POLARITIES].sort());
    for (const theme of ALL_THEMES) expect(summary.counts[theme]).toBeDefined();

    // Bexley: "Assessments demonstrate that the views of children are considered and their wishes and feelings are routinely taken into account."
    const heard = summary.findings.find((f) => f.text.startsWith('Assessments demonstrate that the views of children are considered'));
    expect(heard, 'the Bexley sentence on the views of children is a finding').toBeDefined();
    expect(heard!.themes.map((t) => t.theme)).toContain('voice-of-the-child');
    expect(total(summary.counts, 'voice-of-the-child')).toBeGreaterThanOrEqual(1);
    expect(summary.notable['voice-of-the-child']).toBeDefined();

    // The default classifier knows nothing of the theme.
    const plain = await summariseReport(seedText(BEXLEY));
    expect(plain.counts['voice-of-the-child']).toBeUndefined();
  });
});
