/**
 * Segmentation of real Ofsted PDFs from the shared corpus (../shared, never
 * copied into the repository). Twenty-four reports, picked deterministically
 * and spread over different authorities: twelve single inspection framework
 * (SIF) reports published 2014–2017, and twelve ILACS reports published
 * 2018–2026. Skips, naming why, when ../shared is absent.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readManifest, sharedCorpusDir } from '../src/corpus/files.js';
import { fromPdf } from '../src/ingest/pdf.js';
import type { ManifestEntry, ReportDocument, Sentence } from '../src/schemas.js';
import { MAX_SENTENCE_LENGTH } from '../src/segment/sentences.js';
import { describeShared, sharedMissing } from './helpers/corpus.js';

const PER_FRAMEWORK = 12;

/**
 * `n` entries spread evenly through the id order (ids begin with the
 * authority, so this spreads over the alphabet of authorities), moving on
 * past any authority already picked.
 */
function spread(entries: ManifestEntry[], n: number): ManifestEntry[] {
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const picked: ManifestEntry[] = [];
  const authorities = new Set<string>();
  for (let i = 0; i < n; i++) {
    let j = Math.floor((i * sorted.length) / n);
    while (j < sorted.length && authorities.has(sorted[j]!.authority)) j++;
    if (j === sorted.length) break;
    picked.push(sorted[j]!);
    authorities.add(sorted[j]!.authority);
  }
  return picked;
}

const year = (e: ManifestEntry) => Number(e.published.slice(0, 4));
/** The manifest's framework column is "standard" or "short" for ILACS and empty for SIF (some SIF reports were published in 2018). */
const isIlacs = (e: ManifestEntry) => year(e) >= 2018 && year(e) <= 2026 && /^(standard|short)$/.test(e.framework);
const isSif = (e: ManifestEntry) => year(e) >= 2014 && year(e) <= 2017;

function pickReports(): { sif: ManifestEntry[]; ilacs: ManifestEntry[] } {
  if (sharedMissing) return { sif: [], ilacs: [] };
  const manifest = readManifest();
  return { sif: spread(manifest.filter(isSif), PER_FRAMEWORK), ilacs: spread(manifest.filter(isIlacs), PER_FRAMEWORK) };
}

/** Sentences failing a test, as "report-id: sentence" lines, for a readable failure. */
function offenders(docs: ReportDocument[], bad: (s: Sentence) => boolean): string[] {
  return docs.flatMap((doc) => doc.sentences.filter(bad).map((s) => `${doc.id}: ${JSON.stringify(s.text.length > 200 ? `…${s.text.slice(-200)}` : s.text)}`));
}

describeShared('segmentation of shared-corpus PDFs (12 SIF 2014–2017, 12 ILACS 2018–2026)', () => {
  const { sif, ilacs } = pickReports();
  const docs = new Map<string, ReportDocument>();
  const all = () => [...docs.values()];
  const ilacsDocs = () => ilacs.map((e) => docs.get(e.id)!);

  beforeAll(async () => {
    const dir = sharedCorpusDir();
    for (const entry of [...sif, ...ilacs]) {
      const bytes = new Uint8Array(await readFile(join(dir, `${entry.id}.pdf`)));
      docs.set(entry.id, await fromPdf(bytes, { id: entry.id, meta: { authority: entry.authority, date: entry.published } }));
    }
  }, 180_000);

  it('picks 12 reports per framework, each from a different authority', () => {
    expect(sif).toHaveLength(PER_FRAMEWORK);
    expect(ilacs).toHaveLength(PER_FRAMEWORK);
    expect(new Set(sif.map((e) => e.authority)).size).toBe(PER_FRAMEWORK);
    expect(new Set(ilacs.map((e) => e.authority)).size).toBe(PER_FRAMEWORK);
    expect(docs.size).toBe(2 * PER_FRAMEWORK);
  });

  it('every report yields at least 50 sentences and 3 sections', () => {
    const thin = all()
      .filter((d) => d.sentences.length < 50 || d.sections.length < 3)
      .map((d) => `${d.id}: ${d.sentences.length} sentences, ${d.sections.length} sections`);
    expect(thin).toEqual([]);
  });

  it('no sentence is a bare page number', () => {
    expect(offenders(all(), (s) => /^(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?$/i.test(s.text.trim()))).toEqual([]);
  });

  it('no sentence carries a running footer: "Inspection of … children\'s services" with its page number, or "Page n of m"', () => {
    const footer = /Inspection of .{2,80} children['’]s services\s+\d+(?:\s|$)/;
    expect(offenders(all(), (s) => footer.test(s.text) || /\bPage \d+ of \d+\b/.test(s.text))).toEqual([]);
  });

  it('no sentence is a contents line with dot leaders or spaced-out page numbers', () => {
    expect(offenders(all(), (s) => /(?:\.{4,}|\s{3,})\d{1,3}$/.test(s.text))).toEqual([]);
  });

  it('no sentence is a contents line whose page number sat in a tab stop (a table cell " | n")', () => {
    // Tabs become " | " in the normalised text, so a contents entry set with a
    // tab before its page number reads "Leadership, management and governance | 27".
    expect(offenders(all(), (s) => /\s\|\s\d{1,3}$/.test(s.text))).toEqual([]);
  });

  it(`no sentence exceeds MAX_SENTENCE_LENGTH (${MAX_SENTENCE_LENGTH} characters)`, () => {
    expect(offenders(all(), (s) => s.text.length > MAX_SENTENCE_LENGTH)).toEqual([]);
  });

  it('every ILACS report has a "What needs to improve" section', () => {
    const missing = ilacsDocs()
      .filter((d) => !d.sections.some((s) => /^What needs to improve/i.test(s.heading)))
      .map((d) => `${d.id}: ${d.sections.map((s) => s.heading).join(' / ')}`);
    expect(missing).toEqual([]);
  });

  it('every ILACS report has a section for each judgement on the experiences and progress of children', () => {
    const missing = ilacsDocs()
      .filter((d) => !d.sections.some((s) => /^The experiences and progress of children who need help and protection/i.test(s.heading)))
      .map((d) => d.id);
    expect(missing).toEqual([]);
  });

  it('sentences index the normalised text, and no sentence spans a blank line', () => {
    for (const doc of all()) {
      for (const s of doc.sentences) {
        expect(doc.text.slice(s.span.start, s.span.end)).toBe(s.text);
        expect(s.text).not.toContain('\n\n');
      }
    }
  });
});
