/**
 * classifyFinding on sentences written for these tests in the style of inspection
 * reports (none is in the labelled corpus), so a model that merely memorised its
 * training data cannot pass them.
 */
import { describe, expect, it } from 'vitest';
import { classifyFinding, createClassifier, POLARITIES } from '../src/index.js';

const polarity = (text: string, section?: string) => classifyFinding(text, section ? { section } : undefined).polarity;
const themes = (text: string) => classifyFinding(text).themes.map((t) => t.theme);

describe('classifyFinding on unseen inspection sentences', () => {
  it('reads hedged praise as a shortfall', () => {
    expect(polarity('Supervision of social workers is not always regular or reflective.')).toBe('negative');
    expect(polarity('The quality of case recording is variable across the teams.')).toBe('negative');
    expect(polarity('Leaders are yet to ensure that all children have an up-to-date plan.')).toBe('negative');
  });

  it('reads plain praise as positive and recommendations as negative', () => {
    expect(polarity('Managers provide clear and timely direction on every case, and staff value their regular supervision.')).toBe('positive');
    expect(polarity('Improve the timeliness and quality of written records of management decisions.', 'What needs to improve?')).toBe('negative');
  });

  it('tags what a sentence is about, not words that merely appear', () => {
    expect(themes('Caseloads are high and the service relies heavily on agency social workers.')).toContain('workforce');
    expect(themes('Strategy discussions with the police and health partners are held promptly.')).toContain('multi-agency');
    expect(themes('Management oversight of casework is evident and decisions are clearly recorded on case files.')).toEqual(expect.arrayContaining(['supervision', 'recording']));
    expect(themes('Children are seen alone and their wishes and feelings inform their plans.')).not.toContain('recording');
  });

  it('does not treat letter furniture as findings', () => {
    for (const text of ['Yours sincerely', 'Dear Ms Smith', 'Textphone: 0161 618 8524', 'Overall effectiveness | Good']) {
      expect(classifyFinding(text).isFinding, text).toBe(false);
    }
  });

  it('gives calibrated polarity scores that sum to one, with evidence for its decisions', () => {
    const r = classifyFinding('Management oversight is not always evident on case records.', { section: 'Areas for development' });
    const total = POLARITIES.reduce((s, p) => s + r.polarityScores[p], 0);
    expect(total).toBeCloseTo(1, 9);
    expect(r.polarityScores.negative).toBeGreaterThan(0.5);
    expect(r.evidence.some((e) => e.kind === 'rule' && e.text === 'not always')).toBe(true);
    expect(r.evidence.some((e) => e.kind === 'model')).toBe(true);
    for (const t of r.themes) expect(t.score).toBeGreaterThanOrEqual(0);
  });

  it('honours caller thresholds: every theme returned scores at least its threshold', () => {
    const thresholds = { supervision: 0.97, recording: 0.97, thresholds: 0.9, workforce: 0.9, 'multi-agency': 0.9 };
    const strict = createClassifier({ thresholds });
    const sentences = [
      'Management oversight of casework is evident and decisions are clearly recorded on case files.',
      'Caseloads are high and the service relies heavily on agency social workers.',
      'Strategy discussions with the police and health partners are held promptly.',
    ];
    let defaultTags = 0;
    let strictTags = 0;
    for (const text of sentences) {
      const r = strict.classify(text);
      for (const t of r.themes) expect(t.score).toBeGreaterThanOrEqual(thresholds[t.theme as keyof typeof thresholds]);
      strictTags += r.themes.length;
      defaultTags += classifyFinding(text).themes.length;
    }
    expect(strictTags).toBeLessThanOrEqual(defaultTags);
  });
});
