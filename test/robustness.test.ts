/**
 * Robustness of the classification API: what it does with wrong types, empty
 * and hostile text, huge text, and callers that mutate what they pass in or
 * get back. See README "Reliability".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bundledModel,
  classifyFinding,
  createClassifier,
  FindingResultSchema,
  POLARITIES,
  type FindingResult,
  type RulePack,
} from '../src/index.js';

const SENTENCES = [
  'Management oversight is not always evident on case records.',
  'Social workers visit children regularly and know them well.',
  'Supervision is regular but is not reflective, and actions are not followed up.',
  'Thresholds are understood and applied consistently by partner agencies.',
  'Child protection plans do not always include measurable timescales for agreed actions.',
  "Care leavers told inspectors that their personal advisers are 'always there for them'.",
  'Strategy discussions are timely; however, health partners do not always attend.',
  'High caseloads and a reliance on agency staff limit the stability of the workforce.',
  'This inspection was carried out under section 136 of the Education and Inspections Act 2006.',
  'Contents',
];
const SECTIONS = ['Areas for development', 'Strengths', 'What needs to improve', 'Summary of findings', ''];

const HOSTILE = [
  '\u0000',
  '\u0000\u0000\u0000 Supervision \u0000 is \u0000 not regular.',
  '\uD800',
  '\uDC00\uD800 lone surrogates \uDBFF',
  'Supervision\uD800is not regular\uDFFF.',
  'مرحبا بالعالم',
  '\u202Eأطفال\u202C Social workers visit children regularly.',
  '👶🏽👨‍👩‍👧‍👦 children are safe 🏳️‍🌈',
  '<script>alert(1)</script>',
  '<p>Management oversight is <b>not</b> always evident</p><br/>',
  '\u0001\u0002\u0003\u0007\u0008\u000B\u000C\u001B[31mred\u001B[0m',
  '\r\n\r\n\t\t\f\v',
  '\u00A0\u2000\u2028\u2029\u3000\uFEFF',
  'Z̸̢̧͚͓a̷̡̛͎l̶̨̛g̸̢o̵͇̾ text',
  '% $ # @ ! ( ) [ ] { } ; : , . ? / \\ | ` ~ ^ & * - + =',
  'not not not not not not not not not not',
  '1. 2. 3. (a) (b) 4.5.6',
  'e.g. i.e. Dr. Mr. etc. s47 s.17',
  '__proto__ constructor prototype toString hasOwnProperty valueOf',
];

const SPECIALS = ['\u0000', '\uD800', '\uDFFF', '\u202E', '\u200B', '\uFEFF', '\r', '\n', '\t', '\u0007', '😀', '👨‍👩‍👧', 'مرحبا', 'שלום', '<script>', '</p>', '&amp;', ' ', '.', ';', 'not', 'however'];

const WORDS = ['supervision', 'caseloads', 'not', 'always', 'evident', 'children', 'social', 'workers', 'recording', 'thresholds', 'partners', 'however', 'good', 'inadequate'];

/** Strings of every kind: raw code units, graphemes, hostile fragments, and realistic text mixed with them. */
const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary-ascii', maxLength: 300 }),
  fc.constantFrom(...HOSTILE),
  fc
    .array(fc.oneof(fc.constantFrom(...SENTENCES), fc.constantFrom(...SPECIALS), fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 20 })), { maxLength: 12 })
    .map((parts) => parts.join('')),
  fc.tuple(fc.constantFrom(...WORDS, 'a', 'x', '😀', '\u0000', 'مرحبا'), fc.integer({ min: 1, max: 1500 }), fc.constantFrom(' ', '', ', ', '\n')).map(([w, n, sep]) => Array.from({ length: n }, () => w).join(sep)),
);

function checkResult(text: string, result: FindingResult, section?: string): void {
  const parsed = FindingResultSchema.safeParse(result);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  expect(result.text).toBe(text);
  if (section !== undefined) expect(result.section).toBe(section);
  const scores = result.polarityScores;
  let sum = 0;
  for (const p of POLARITIES) {
    const v = scores[p];
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
    sum += v;
  }
  expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-9);
  expect(POLARITIES).toContain(result.polarity);
  if (!result.isFinding) {
    expect(result.themes).toEqual([]);
    expect(result.polarity).toBe('neutral');
  }
  for (const t of result.themes) {
    expect(Number.isFinite(t.score)).toBe(true);
    expect(t.score).toBeGreaterThanOrEqual(0);
    expect(t.score).toBeLessThanOrEqual(1);
  }
  const allEvidence = [...result.evidence, ...result.themes.flatMap((t) => t.evidence)];
  for (const e of allEvidence) {
    expect(Number.isFinite(e.weight)).toBe(true);
    if (e.span) {
      expect(e.span.start).toBeLessThanOrEqual(e.span.end);
      expect(e.span.end).toBeLessThanOrEqual(text.length);
      if (e.kind === 'rule') expect(text.slice(e.span.start, e.span.end)).toBe(e.text);
    }
  }
}

describe('non-string input', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a number', 42, /got number/],
    ['NaN', Number.NaN, /got number/],
    ['null', null, /got null/],
    ['undefined', undefined, /got undefined/],
    ['an object', { text: 'Supervision is regular.' }, /got object/],
    ['an array', ['Supervision is regular.'], /got an array/],
    ['a Buffer', Buffer.from('Supervision is regular.'), /got (object|a Buffer|Buffer)/],
    ['a boolean', true, /got boolean/],
    ['a bigint', 1n, /got bigint/],
    ['a function', () => 'x', /got function/],
    ['a Symbol', Symbol('x'), /got symbol/],
    ['a String object', new String('Supervision is regular.'), /got object/],
  ];
  for (const [name, value, message] of cases) {
    it(`classifyFinding(${name}) throws a TypeError naming what it got`, () => {
      let error: unknown;
      try {
        classifyFinding(value as string);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/expects a string/);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('a classifier from createClassifier rejects non-strings the same way', () => {
    const c = createClassifier();
    expect(() => c.classify(42 as unknown as string)).toThrow(TypeError);
    expect(() => c.classify(null as unknown as string)).toThrow(/got null/);
  });
});

describe('empty and whitespace-only text', () => {
  for (const text of ['', ' ', '   ', '\n', '\t\r\n', '\u00A0', '\u2028\u2029', '\u3000', '\uFEFF', ' \n \t \f \v ']) {
    it(`${JSON.stringify(text)} is not a finding and is neutral`, () => {
      const r = classifyFinding(text);
      checkResult(text, r);
      expect(r.isFinding).toBe(false);
      expect(r.polarity).toBe('neutral');
      expect(r.themes).toEqual([]);
      const s = r.polarityScores;
      expect(s.positive + s.negative + s.mixed + s.neutral).toBeCloseTo(1, 12);
    });
  }

  it('keeps the section on an empty sentence', () => {
    const r = classifyFinding('  ', { section: 'Strengths' });
    expect(r.section).toBe('Strengths');
    expect(r.isFinding).toBe(false);
  });
});

describe('arbitrary text (fast-check)', () => {
  it('never throws, validates, sums to 1, has honest spans and is deterministic', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const a = classifyFinding(text);
        checkResult(text, a);
        const b = classifyFinding(text);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 200, seed: 20260 },
    );
  });

  it('the same holds with a section and kind, and a fresh classifier agrees with classifyFinding', () => {
    const fresh = createClassifier();
    fc.assert(
      fc.property(
        anyText,
        fc.oneof(fc.constantFrom(...SECTIONS), fc.string({ unit: 'binary', maxLength: 60 })),
        fc.constantFrom(undefined, 'paragraph', 'list-item', 'table-row', 'line', 'whatever'),
        (text, section, kind) => {
          const options = kind === undefined ? { section } : { section, kind };
          const a = classifyFinding(text, options);
          checkResult(text, a, section);
          expect(JSON.stringify(fresh.classify(text, options))).toBe(JSON.stringify(a));
        },
      ),
      { numRuns: 150, seed: 20261 },
    );
  });

  it('handles each hostile fragment', () => {
    for (const text of HOSTILE) {
      const r = classifyFinding(text);
      checkResult(text, r);
      expect(JSON.stringify(classifyFinding(text))).toBe(JSON.stringify(r));
    }
  });
});

describe('classifyMany', () => {
  const c = createClassifier();

  it('gives exactly the results of classify one by one, for strings and { text, section } items', () => {
    const items = [
      ...SENTENCES,
      ...SENTENCES.map((text, i) => ({ text, section: SECTIONS[i % SECTIONS.length]! })),
      { text: SENTENCES[0]!, section: 'Areas for development', kind: 'list-item' },
      { text: SENTENCES[1]! },
      '',
      ...HOSTILE,
    ];
    const batched = c.classifyMany(items);
    const single = items.map((item) => (typeof item === 'string' ? c.classify(item) : c.classify(item.text, { ...(item.section !== undefined ? { section: item.section } : {}), ...('kind' in item ? { kind: item.kind } : {}) })));
    expect(batched).toHaveLength(items.length);
    expect(JSON.stringify(batched)).toBe(JSON.stringify(single));
    // and the default classifier agrees
    expect(JSON.stringify(batched)).toBe(JSON.stringify(single.map((r, i) => {
      const item = items[i]!;
      return typeof item === 'string' ? classifyFinding(item) : classifyFinding(item.text, { ...(item.section !== undefined ? { section: item.section } : {}), ...('kind' in item ? { kind: item.kind } : {}) });
    })));
    expect(c.classifyMany([])).toEqual([]);
  });

  it('agrees with classify for arbitrary batches (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyText, fc.record({ text: anyText, section: fc.constantFrom(...SECTIONS) })), { maxLength: 8 }), (items) => {
        const batched = c.classifyMany(items);
        const single = items.map((item) => (typeof item === 'string' ? c.classify(item) : c.classify(item.text, { section: item.section })));
        expect(JSON.stringify(batched)).toBe(JSON.stringify(single));
      }),
      { numRuns: 40, seed: 20262 },
    );
  });

  it('rejects a non-array with a TypeError', () => {
    for (const bad of ['Supervision is regular.', null, undefined, 42, { length: 1, 0: 'x' }, new Set(['x']), { text: 'x' }]) {
      expect(() => c.classifyMany(bad as never)).toThrow(TypeError);
    }
  });

  it('rejects a non-string item with a TypeError', () => {
    expect(() => c.classifyMany([SENTENCES[0]!, 42 as never])).toThrow(TypeError);
    expect(() => c.classifyMany([null as never])).toThrow(TypeError);
    expect(() => c.classifyMany([{ text: 42 } as never])).toThrow(TypeError);
  });
});

describe('options validation', () => {
  it('classifyFinding rejects a non-string section or kind, and unknown options', () => {
    expect(() => classifyFinding('x', { section: 42 } as never)).toThrow(TypeError);
    expect(() => classifyFinding('x', { section: 42 } as never)).toThrow(/section/);
    expect(() => classifyFinding('x', { kind: {} } as never)).toThrow(TypeError);
    expect(() => classifyFinding('x', { sectoin: 'Strengths' } as never)).toThrow(TypeError);
    expect(() => classifyFinding('x', 'Strengths' as never)).toThrow(TypeError);
    expect(() => classifyFinding('x', null as never)).toThrow(TypeError);
  });

  it('createClassifier rejects thresholds outside [0, 1] or not numbers', () => {
    expect(() => createClassifier({ thresholds: { recording: 2 } })).toThrow(TypeError);
    expect(() => createClassifier({ thresholds: { recording: 2 } })).toThrow(/recording/);
    expect(() => createClassifier({ thresholds: { finding: -0.1 } })).toThrow(TypeError);
    expect(() => createClassifier({ thresholds: { finding: Number.NaN } })).toThrow(TypeError);
    expect(() => createClassifier({ thresholds: { finding: '0.5' as never } })).toThrow(TypeError);
    expect(() => createClassifier({ thresholds: 0.5 as never })).toThrow(TypeError);
    expect(() => createClassifier({ thresholds: { finding: 0, recording: 1 } })).not.toThrow();
  });

  it('createClassifier rejects a non-array rulePacks and non-object options', () => {
    expect(() => createClassifier({ rulePacks: {} as never })).toThrow(TypeError);
    expect(() => createClassifier('x' as never)).toThrow(TypeError);
  });
});

describe('huge input', () => {
  it(
    'classifies a 1 MB string as one sentence without crashing',
    () => {
      const unit = SENTENCES.slice(0, 8).join(' ') + ' ';
      const text = unit.repeat(Math.ceil(1_048_576 / unit.length)).slice(0, 1_048_576);
      expect(text.length).toBe(1_048_576);
      const r = classifyFinding(text);
      expect(FindingResultSchema.safeParse(r).success).toBe(true);
      const s = r.polarityScores;
      expect(Math.abs(s.positive + s.negative + s.mixed + s.neutral - 1)).toBeLessThanOrEqual(1e-9);
    },
    120_000,
  );
});

describe('no mutable state a caller can corrupt', () => {
  const text = 'Management oversight is not always evident on case records.';

  it('the classifier object is frozen', () => {
    const c = createClassifier();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.themes)).toBe(true);
    expect(() => {
      (c as { classify: unknown }).classify = () => null;
    }).toThrow(TypeError);
    expect(typeof c.classify(text).isFinding).toBe('boolean');
  });

  it('mutating a returned result does not change the next result for the same text', () => {
    for (const classify of [classifyFinding, createClassifier().classify]) {
      const first = classify(text, { section: 'Areas for development' });
      const snapshot = JSON.stringify(first);
      expect(first.themes.length).toBeGreaterThan(0);
      first.themes.push({ theme: 'injected', score: 1, evidence: [] });
      first.themes[0]!.score = 42;
      first.themes[0]!.evidence.push({ source: 'x', kind: 'rule', target: 'x', text: 'x', weight: 1 });
      for (const e of first.themes[0]!.evidence) {
        e.text = 'mutated';
        if (e.span) e.span.start = 999;
      }
      first.polarityScores.positive = 7;
      first.polarityScores.neutral = -1;
      first.evidence.length = 0;
      first.isFinding = !first.isFinding;
      (first as { polarity: string }).polarity = 'mixed';
      expect(JSON.stringify(classify(text, { section: 'Areas for development' }))).toBe(snapshot);
    }
  });

  it('mutating the rulePacks array (or its packs) after creation does not change results', () => {
    const pack: RulePack = {
      id: 'test-extra',
      version: '1.0.0',
      description: 'a test pack',
      themes: [{ id: 'placements', label: 'Placements', description: 'Placement stability and sufficiency.' }],
      rules: [{ id: 'placements.moves', target: { theme: 'placements' }, patterns: ['placement moves', 'placement stability'], weight: 3 }],
    };
    const packs: RulePack[] = [pack];
    const c = createClassifier({ rulePacks: packs });
    const sentence = 'Too many children experience placement moves, and placement stability is not good enough.';
    const before = JSON.stringify(c.classify(sentence));
    expect(c.themes.map((t) => t.id)).toContain('placements');

    packs.length = 0;
    packs.push({ id: 'other', version: '1', description: 'replaced', rules: [{ id: 'neg', target: { polarity: 'positive' }, patterns: ['placement'], weight: 50 }] });
    pack.rules![0]!.weight = -50;
    pack.rules![0]!.patterns.push('children');
    pack.themes![0]!.id = 'renamed';

    expect(JSON.stringify(c.classify(sentence))).toBe(before);
    expect(c.themes.map((t) => t.id)).toContain('placements');
  });

  it('mutating classifier.rules of one classifier does not change another classifier or classifyFinding', () => {
    const c = createClassifier();
    const before = JSON.stringify(classifyFinding(text));
    const beforeOther = JSON.stringify(createClassifier().classify(text));
    const rules = c.rules as unknown as Array<{ weight: number }>;
    expect(Object.isFrozen(rules) && rules.every((r) => Object.isFrozen(r))).toBe(true);
    expect(() => {
      for (const r of rules) r.weight = 0;
    }).toThrow(TypeError);
    expect(JSON.stringify(classifyFinding(text))).toBe(before);
    expect(JSON.stringify(createClassifier().classify(text))).toBe(beforeOther);
  });

  it('mutating classifier.model (the shared bundled model) does not change results', () => {
    const c = createClassifier();
    const model = c.model!;
    const before = JSON.stringify(classifyFinding(text));
    const saved = model.finding.threshold;
    let mutated = true;
    try {
      (model.finding as { threshold: number }).threshold = 1;
    } catch {
      mutated = false;
    }
    try {
      expect(JSON.stringify(classifyFinding(text))).toBe(before);
      expect(JSON.stringify(c.classify(text))).toBe(before);
    } finally {
      if (mutated) (model.finding as { threshold: number }).threshold = saved;
    }
  });

  it('mutating a model after passing it to createClassifier does not change that classifier', () => {
    const model = structuredClone(bundledModel());
    const c = createClassifier({ model });
    const before = JSON.stringify(c.classify(text));
    (model.finding as { threshold: number }).threshold = 1;
    model.polarity.temperature = 1000;
    for (const t of model.themes) (t as { threshold: number }).threshold = 1;
    expect(JSON.stringify(c.classify(text))).toBe(before);
  });
});
