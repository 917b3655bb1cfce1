import { describe, expect, it } from 'vitest';
import { loadSeedDocuments } from '../src/corpus/files.js';
import type { ReportDocument } from '../src/schemas.js';

const seeds = new Map(loadSeedDocuments().map((d) => [d.id, d] as const));
const seed = (id: string): ReportDocument => {
  const doc = seeds.get(id);
  if (!doc) throw new Error(`no seed ${id}`);
  return doc;
};
const sentence = (doc: ReportDocument, text: string) => doc.sentences.find((s) => s.text === text);

describe('seed documents', () => {
  it('load with stable ids, authority, date and document type', () => {
    expect([...seeds.keys()].sort()).toEqual([
      'bexley-2010-11-17',
      'bromley-2010-07-20',
      'bromley-2011-05-10',
      'bromley-2017-03-24',
      'lewisham-2010-12-15',
    ]);
    expect(seed('bromley-2017-03-24').meta).toMatchObject({ authority: 'bromley', date: '2017-03-24', type: 'monitoring-visit-letter' });
    expect(seed('bromley-2010-07-20').meta.type).toBe('committee-report-with-action-plan');
    expect(seed('lewisham-2010-12-15').meta.type).toBe('unannounced-inspection-letter');
  });

  it('Bromley 2011: a statutory-guidance bullet comes out whole under its section', () => {
    const s = sentence(seed('bromley-2011-05-10'), 'Case recording is clear and the majority of records are up-to-date.');
    expect(s?.section).toBe('The service meets the requirements of statutory guidance in the following areas');
  });

  it('Bromley 2011: HTML list remnants become separate sentences under the right headings', () => {
    const doc = seed('bromley-2011-05-10');
    expect(doc.text).not.toMatch(/<ul|<\/?p>|<br/);
    expect(sentence(doc, 'Children are routinely seen, their views recorded and taken into account as part of the assessment process.')?.section).toBe(
      'The service meets the requirements of statutory guidance in the following areas',
    );
    expect(sentence(doc, 'The commissioning of effective management training has resulted in strong management oversight and effective decision-making processes.')?.section).toBe('Strengths');
    // Split across a blank line in the source, joined back into one sentence.
    expect(sentence(doc, 'These managers are well respected by staff and provide regular and focused supervision which has resulted in improved practice.')).toBeDefined();
  });

  it.each([
    ['bromley-2011-05-10', 'The use of the common assessment framework (CAF) as a referral form to the referral and assessment services is not effective.'],
    ['bromley-2011-05-10', 'Feedback from service users is not routinely collated to help to assess the impact of the work of the team or inform further developments.'],
    ['lewisham-2010-12-15', 'Child protection plans do not always include measurable timescales for agreed actions.'],
    ['bexley-2010-11-17', "The electronic information and communication technology used by children's social care services is unreliable and slow, and does not support front line workers to meet the needs of children and young people efficiently."],
  ])('%s: each "Areas for development" bullet starts its own sentence', (id, text) => {
    const doc = seed(id);
    const s = sentence(doc, text);
    expect(s, text).toBeDefined();
    expect(s!.section).toBe('Areas for development');
    const paragraph = doc.paragraphs[s!.paragraph]!;
    expect(paragraph.kind).toBe('list-item');
    // The bullet begins with this sentence: nothing from the previous bullet is glued in front of it.
    expect(doc.sentences[paragraph.sentences[0]!]!.text).toBe(text);
  });

  it('Areas for development bullets never share a sentence', () => {
    for (const doc of seeds.values()) {
      for (const p of doc.paragraphs) {
        const text = doc.text.slice(p.span.start, p.span.end);
        expect(p.sentences.map((i) => doc.sentences[i]!.text).join(' ')).toBe(text);
      }
    }
  });

  it("2010 full report: paragraph 21's sentences each come out whole", () => {
    const doc = seed('bromley-2010-07-20');
    const p21 = doc.paragraphs.find((p) => p.number === '21');
    expect(p21).toBeDefined();
    expect(p21!.sentences.map((i) => doc.sentences[i]!.text)).toEqual([
      'The timeliness of initial assessments is low but improving, with under a third being completed within seven days.',
      'Core assessments are similarly lower in relation to the timeliness of completion at around 40% with 35 working days.',
      'The majority of assessments appropriately evidence involvement of the range of professionals involved with subject children.',
      'However, while risks and likely impact are identified, many do not demonstrate a sufficiently reflective or analytical approach.',
      'Child protection plans are of variable quality with some of those not within legal proceedings being less focused and specific about what families need to do to reduce risks.',
      'Some recent improvements have, however, been noted in case files.',
      'Children subject to child protection plans are visited regularly and are seen alone by social workers.',
      'The quality of recording in social care is variable but is generally up to date.',
      'Some recent improvements in the quality of case recording for those most in need of protection are evident, although the local ICS system continues to prove a difficult tool to use effectively.',
      'The arrangement of the system also makes it difficult to identify where and when planning, supervision and oversight by managers is undertaken.',
    ]);
  });

  it('2010 full report: a paragraph broken across a page gap is joined', () => {
    const doc = seed('bromley-2010-07-20');
    const p10 = doc.paragraphs.find((p) => p.number === '10');
    expect(doc.text.slice(p10!.span.start, p10!.span.end)).toContain("children's recording system (ICS) is not effective");
  });

  it('headings are never glued to the sentence after them', () => {
    for (const doc of seeds.values()) {
      for (const section of doc.sections) {
        const overlapping = doc.sentences.filter((s) => s.span.start < section.span.end && s.span.end > section.span.start);
        expect(overlapping, `${doc.id}: ${section.heading}`).toEqual([]);
      }
      expect(doc.sentences.filter((s) => /^(Strengths|Areas for development) [A-Z]/.test(s.text))).toEqual([]);
    }
    const doc = seed('bromley-2017-03-24');
    expect(doc.sections.map((s) => s.heading)).toContain('Overview');
    expect(sentence(doc, 'Social workers spoken to know their cases well.')?.section).toBe('Findings and evaluation of progress');
  });

  it('list items without a final full stop are sentences', () => {
    const doc = seed('bromley-2017-03-24');
    expect(sentence(doc, 'the understanding and application of thresholds to care')?.section).toBe('Areas covered by the visit');
  });

  it('the committee report keeps its action-plan timescales as nested sections', () => {
    const doc = seed('bromley-2010-07-20');
    const within = doc.sections.find((s) => s.heading === 'Within three months');
    expect(within?.path).toContain('Areas for improvement');
    expect(sentence(doc, 'Improve the ICS system making it easier for staff to use and for managers to be provided with good performance information.')?.section).toBe(
      'Within three months',
    );
  });
});
