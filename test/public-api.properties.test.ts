/**
 * Property-based tests (fast-check) for every public function that is not
 * already property-tested elsewhere (robustness.test.ts covers classifyFinding
 * and createClassifier; segment.properties.test.ts covers the string
 * behaviour of fromText, normaliseText and segmentSentences).
 *
 * The contract, from the issue: bad input (wrong types, empty or huge text,
 * broken PDFs, hostile rule packs) gets a clear, typed error — a TypeError,
 * RangeError or OfstedFindingsError (IngestError, RulePackError, ModelError)
 * with a non-empty message that is not a leaked JavaScript engine message —
 * or a sane result, deterministically, in bounded time. Never a crash from
 * inside the library, never silently dropped data.
 *
 * Wrong-type arguments are held to the convention the library already follows
 * for its main entry points (fromText → IngestError INPUT_TYPE, classifyFinding
 * → TypeError): they are refused, not silently coerced (hashText(42) must not
 * be the hash of '', tokenize(null) must not be the word "null").
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aggregateSummaries,
  agreement,
  analyseSentence,
  AnnotationSchema,
  areaOf,
  authorityOf,
  binaryPRF,
  brierScore,
  BUILTIN_RULE_PACKS,
  bundledModel,
  classifyDocument,
  cohenKappa,
  compileRulePacks,
  CORE_THEMES,
  createClassifier,
  createRuleClassifier,
  crossValidate,
  defineRulePack,
  emptyCounts,
  extractFindings,
  extractJudgements,
  FindingResultSchema,
  fromPdf,
  fromText,
  GradeSchema,
  groupedFolds,
  hashText,
  IngestError,
  joinAnnotations,
  JudgementAreaSchema,
  loadModel,
  ManifestEntrySchema,
  ModelError,
  multiClassReport,
  multiLabelPRF,
  normaliseText,
  OfstedFindingsError,
  parseAnnotations,
  parseCsv,
  parseManifest,
  parseRulePack,
  POLARITIES,
  prf,
  reliabilityCurve,
  ReportDocumentSchema,
  RulePackError,
  RulePackSchema,
  scoreThemes,
  segmentDocument,
  segmentSentences,
  spearman,
  groupBootstrap,
  summariseReport,
  summariseReports,
  tokenize,
  sentenceFeatures,
  trainModel,
  planTraining,
  fitPlannedJob,
  finishTraining,
  type Annotation,
  type Classifier,
  type LabelledSentence,
  type ReportDocument,
  type ReportSummary,
  type RulePack,
} from '../src/index.js';
import {
  annotationsDir,
  iterateSharedReports,
  listSeeds,
  loadSeedDocuments,
  loadSharedDocument,
  packageRoot,
  readAgreementFiles,
  readAnnotationFiles,
  readManifest,
  seedsDir,
  sharedCorpusDir,
  sharedCorpusMissing,
} from '../src/node.js';
import { makeTextPdf } from './helpers/pdf-fixtures.js';

// ---------------------------------------------------------------------------
// Harness

/** Messages of errors the JavaScript engine (not the library) raised: a crash from inside, whatever its class. */
const ENGINE_MESSAGE =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not an object|Cannot convert|Cannot destructure|Cannot create property|Cannot mix BigInt|Invalid array length|Maximum call stack|Iterator value|Do not know how to serialize|Reduce of empty array|is not a constructor|Unexpected token|is not valid JSON/;

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return `non-Error thrown: ${String(error)}`;
}

function preview(value: unknown): string {
  try {
    return fc.stringify(value).slice(0, 200);
  } catch {
    return String(value);
  }
}

/** A clear, typed error: TypeError, RangeError or the library's own family, with a real message. */
function expectTypedError(error: unknown, context: string): void {
  const typed = error instanceof TypeError || error instanceof RangeError || error instanceof OfstedFindingsError;
  expect(typed, `${context}: threw ${describeError(error)}`).toBe(true);
  const message = (error as Error).message;
  expect(typeof message === 'string' && message.trim() !== '', `${context}: empty error message`).toBe(true);
  // The library's own errors may quote their cause ("… is not valid JSON: Unexpected end of JSON input"); any other error must not be the engine's.
  if (!(error instanceof OfstedFindingsError)) {
    expect(ENGINE_MESSAGE.test(message), `${context}: an engine error leaked out of the library: ${describeError(error)}`).toBe(false);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(call: () => T): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    return { ok: false, error };
  }
}

async function attemptAsync<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** JSON with Maps, Sets, typed arrays, NaN and bigints made visible, for determinism checks. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map) return { $map: [...v.entries()] };
    if (v instanceof Set) return { $set: [...v.values()] };
    if (ArrayBuffer.isView(v)) return { $typed: Array.from(v as unknown as ArrayLike<number>) };
    if (typeof v === 'number' && !Number.isFinite(v)) return `$${String(v)}`;
    if (typeof v === 'bigint') return `$${v}n`;
    return v;
  });
}

/**
 * Call twice: either both calls throw the same typed error, or both return
 * JSON-identical values that pass `sane`. Returns the value, if any.
 */
function expectSaneOrTyped<T>(call: () => T, sane: (value: T) => void, context: string): T | undefined {
  const a = attempt(call);
  const b = attempt(call);
  if (!a.ok) {
    expectTypedError(a.error, context);
    expect(b.ok, `${context}: threw once, returned the second time`).toBe(false);
    if (!b.ok) expect(describeError(b.error)).toBe(describeError(a.error));
    return undefined;
  }
  expect(b.ok, `${context}: returned once, threw the second time: ${b.ok ? '' : describeError(b.error)}`).toBe(true);
  if (b.ok) expect(stable(b.value), `${context}: not deterministic`).toBe(stable(a.value));
  sane(a.value);
  return a.value;
}

async function expectSaneOrTypedAsync<T>(call: () => Promise<T>, sane: (value: T) => void, context: string): Promise<T | undefined> {
  const a = await attemptAsync(call);
  const b = await attemptAsync(call);
  if (!a.ok) {
    expectTypedError(a.error, context);
    expect(b.ok, `${context}: threw once, returned the second time`).toBe(false);
    return undefined;
  }
  expect(b.ok, `${context}: returned once, threw the second time`).toBe(true);
  if (b.ok) expect(stable(b.value), `${context}: not deterministic`).toBe(stable(a.value));
  sane(a.value);
  return a.value;
}

/** A wrong-type argument must be refused with a typed error — not coerced, not crashed on. */
function expectRefused(call: () => unknown, context: string): void {
  const outcome = attempt(call);
  expect(outcome.ok, `${context}: returned ${outcome.ok ? preview(outcome.value) : ''} instead of refusing the argument`).toBe(false);
  if (!outcome.ok) expectTypedError(outcome.error, context);
}

async function expectRefusedAsync(call: () => Promise<unknown>, context: string): Promise<void> {
  const outcome = await attemptAsync(call);
  expect(outcome.ok, `${context}: resolved to ${outcome.ok ? preview(outcome.value) : ''} instead of refusing the argument`).toBe(false);
  if (!outcome.ok) expectTypedError(outcome.error, context);
}

const isProbability = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
const isCount = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;

// ---------------------------------------------------------------------------
// Arbitraries

const FINDINGS = [
  'Social workers visit children regularly and know them well.',
  'Management oversight is not always evident on case records.',
  'Supervision is regular but is not reflective, and actions are not followed up.',
  'Thresholds are understood and applied consistently by partner agencies.',
  'Child protection plans do not always include measurable timescales for agreed actions.',
  "Care leavers told inspectors that their personal advisers are 'always there for them'.",
  'Strategy discussions are timely; however, health partners do not always attend.',
  'High caseloads and a reliance on agency staff limit the stability of the workforce.',
  'Case records are not always up to date, and the quality of recording is variable.',
  'Multi-agency safeguarding arrangements are effective and well established.',
  'Supervision is not always recorded and does not always challenge drift.',
  'Ensure that supervision records show clear actions and timescales.',
  'Around 72% of assessments were completed within 45 working days in 2016-17.',
];
const NON_FINDINGS = [
  'This inspection was carried out under section 136 of the Education and Inspections Act 2006.',
  'Contents',
  'Yours sincerely',
  'Page 3 of 40',
  'Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD',
];
const HEADINGS = ['## Strengths', '## Areas for development', '**What needs to improve**', '## Summary of findings', 'Overall effectiveness'];
const GRADED = [
  'Judgement | Grade',
  'The impact of leaders on social work practice with children and families | Good',
  'The experiences and progress of children who need help and protection | Requires improvement to be good',
  'The experiences and progress of children in care | Outstanding',
  'The experiences and progress of care leavers | Inadequate',
  'Overall effectiveness | Good',
  'The overall judgement is requires improvement.',
  'Overall effectiveness Grade 3 (Adequate)',
  '## The experiences and progress of children in care: good',
  '## Overall effectiveness',
  'Grade 2 (Good)',
  'Children looked after and achieving permanence | Inadequate',
];
const HOSTILE = ['\u0000', '\uD800', '\uDC00\uD800', '\u202E', '\uFEFF', '👨‍👩‍👧‍👦', 'مرحبا', '<script>alert(1)</script>', '&amp; &#8226;', '__proto__ constructor toString', 'e.g. i.e. Dr. s47'];
const SEPARATORS = ['\n', '\n\n', '\r\n', '\r\n\r\n', '\n\f\n', ' ', '\t', '<br/>', '</p><p>'];

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('', '- ', '• ', '21. ', '(a) ', '<li>'), fc.constantFrom(...FINDINGS)).map(([m, f]) => m + f) },
  { weight: 2, arbitrary: fc.constantFrom(...HEADINGS, ...NON_FINDINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...GRADED) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);
/** Report-like text: findings, headings, grade tables and noise joined by line breaks, page breaks or HTML. */
const reportText = fc.array(fc.tuple(piece, fc.constantFrom(...SEPARATORS)), { maxLength: 24 }).map((parts) => parts.map(([p, s]) => p + s).join(''));
/** Any text at all: report-like, raw UTF-16 code units, graphemes, or empty. */
const anyText = fc.oneof(
  { weight: 4, arbitrary: reportText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 150 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\n', '\u00A0', ...HOSTILE) },
);
/** A single sentence-ish string. */
const sentenceText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FINDINGS, ...NON_FINDINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...FINDINGS, ...HOSTILE, 'not', 'however'), { maxLength: 6 }).map((p) => p.join(' ')) },
);

/** Everything that is not a string. */
const notAString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.constant(Symbol.for('ofsted-findings-test')),
  fc.object({ maxDepth: 2 }),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.constant(new Uint8Array([37, 80, 68, 70])),
  fc.date({ noInvalidDate: true }),
  fc.constant(() => 'Supervision is regular.'),
  fc.string({ maxLength: 20 }).map((s) => new String(s)),
);
/** Everything that is not an array (strings included). */
const notAnArray: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.constant(Symbol.for('ofsted-findings-test')),
  fc.object({ maxDepth: 2 }),
  fc.string({ maxLength: 10 }),
  fc.constant(new Map([['a', 1]])),
  fc.constant(new Set(['a', 'b'])),
  fc.constant(() => []),
);
/** Things that are not a ReportDocument (including objects that only look like one). */
const notADocument: fc.Arbitrary<unknown> = fc.oneof(
  notAString.filter((v) => !(v instanceof String)),
  fc.record({ sentences: fc.array(fc.anything(), { maxLength: 3 }) }),
  fc.record({ sentences: fc.constant([]), text: fc.string() }),
  fc.record({ text: fc.string(), sentences: fc.string() }),
);

const RULES = compileRulePacks([...BUILTIN_RULE_PACKS]);
const RULE_CLASSIFIER = createRuleClassifier();
let MODEL_CLASSIFIER: Classifier;
beforeAll(() => {
  MODEL_CLASSIFIER = createClassifier();
});

const FIVE_AREAS = JudgementAreaSchema.options;
const STATED_GRADES = ['outstanding', 'good', 'requires improvement', 'inadequate', 'adequate'];

// ---------------------------------------------------------------------------

describe('wrong-type arguments are refused with a typed error (never coerced, never an engine crash)', () => {
  const RUNS = { numRuns: 40 };
  const stringFns: Array<[string, (v: unknown) => unknown]> = [
    ['fromText', (v) => fromText(v as string)],
    ['normaliseText', (v) => normaliseText(v as string)],
    ['segmentSentences', (v) => segmentSentences(v as string)],
    ['hashText', (v) => hashText(v as string)],
    ['parseCsv', (v) => parseCsv(v as string)],
    ['parseManifest', (v) => parseManifest(v as string)],
    ['parseAnnotations', (v) => parseAnnotations(v as string, 'a.jsonl')],
    ['authorityOf', (v) => authorityOf(v as string)],
    ['areaOf', (v) => areaOf(v as string)],
    ['tokenize', (v) => tokenize(v as string)],
    ['analyseSentence (text)', (v) => analyseSentence(RULES, v as string)],
    ['sentenceFeatures', (v) => sentenceFeatures(v as string)],
  ];


  const arrayFns: Array<[string, (v: unknown) => unknown]> = [
    ['cohenKappa', (v) => cohenKappa(v as never, v as never)],
    ['agreement (first list)', (v) => agreement(v as never, [], ['recording'])],
    ['agreement (second list)', (v) => agreement([], v as never, ['recording'])],
    ['agreement (themes)', (v) => agreement([], [], v as never)],
    ['joinAnnotations (annotations)', (v) => joinAnnotations(v as never, new Map())],
    ['groupedFolds (groups)', (v) => groupedFolds(v as never, 3, 1)],
    ['binaryPRF', (v) => binaryPRF(v as never, v as never)],
    ['multiLabelPRF (gold)', (v) => multiLabelPRF(v as never, [], ['a'])],
    ['multiLabelPRF (labels)', (v) => multiLabelPRF([], [], v as never)],
    ['multiClassReport', (v) => multiClassReport(v as never, v as never, ['a'])],
    ['brierScore', (v) => brierScore(v as never, v as never)],
    ['reliabilityCurve', (v) => reliabilityCurve(v as never, v as never)],
    ['spearman', (v) => spearman(v as never, v as never)],
    ['groupBootstrap (groups)', (v) => groupBootstrap(v as never, () => 0)],
    ['aggregateSummaries (summaries)', (v) => aggregateSummaries(v as never, [])],
    ['aggregateSummaries (themes)', (v) => aggregateSummaries([], v as never)],
    ['emptyCounts', (v) => emptyCounts(v as never)],
    ['compileRulePacks', (v) => compileRulePacks(v as never)],
    ['crossValidate (sentences)', (v) => crossValidate(v as never, { makeClassifier: () => RULE_CLASSIFIER })],
    ['trainModel', (v) => trainModel(v as never)],
    ['planTraining', (v) => planTraining(v as never)],
  ];


  const objectFns: Array<[string, (v: unknown) => unknown]> = [
    ['segmentDocument (normalised)', (v) => segmentDocument('doc', v as never)],
    ['analyseSentence (compiled rules)', (v) => analyseSentence(v as never, 'Supervision is regular.')],
    ['extractJudgements', (v) => extractJudgements(v as never)],
    ['extractFindings', (v) => extractFindings(v as never)],
    ['classifyDocument (input)', (v) => classifyDocument(v as never, RULE_CLASSIFIER)],
    ['classifyDocument (classifier)', (v) => classifyDocument('Supervision is regular.', v as never)],
    ['joinAnnotations (documents map)', (v) => joinAnnotations([annotationFor('bromley-2011-05-10', 0, '0123456789abcdef')], v as never)],
    ['scoreThemes (classifier)', (v) => scoreThemes(v as never, 'Supervision is regular.')],
    ['crossValidate (options)', (v) => crossValidate([], v as never)],
    ['finishTraining (plan)', (v) => finishTraining(v as never, [])],
    ['fitPlannedJob (plan)', (v) => fitPlannedJob(v as never, 0)],
  ];
  // One property per function: each wrong-type argument is refused with a typed error.
  const refusals: Array<[Array<[string, (v: unknown) => unknown]>, fc.Arbitrary<unknown>, string]> = [
    [stringFns, notAString, 'refuses a non-string'],
    [arrayFns, notAnArray, 'refuses a non-array'],
    [objectFns, notADocument, 'refuses a wrong-type argument'],
  ];
  for (const [fns, wrong, behaviour] of refusals) {
    for (const [name, fn] of fns) {
      it(`${name} ${behaviour}`, () => {
        fc.assert(
          fc.property(wrong, (v) => expectRefused(() => fn(v), `${name}(${preview(v)})`)),
          RUNS,
        );
      });
    }
  }

  it('summariseReport refuses what is not text, PDF bytes or a document, as a rejected promise', async () => {
    await fc.assert(
      fc.asyncProperty(notADocument.filter((v) => !(v instanceof Uint8Array)), async (v) => expectRefusedAsync(() => summariseReport(v as never), `summariseReport(${preview(v)})`)),
      { numRuns: 30 },
    );
  });

  it('summariseReports refuses a non-array, and an array holding a non-report', async () => {
    await fc.assert(
      fc.asyncProperty(notAnArray, async (v) => expectRefusedAsync(() => summariseReports(v as never), `summariseReports(${preview(v)})`)),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(notADocument.filter((v) => !(v instanceof Uint8Array)), async (v) =>
        expectRefusedAsync(() => summariseReports(['Supervision is regular.', v as never]), `summariseReports(['…', ${preview(v)}])`),
      ),
      { numRuns: 30 },
    );
  });

  it('fromPdf refuses a non-Uint8Array', async () => {
    await fc.assert(
      fc.asyncProperty(notAString.filter((v) => !(v instanceof Uint8Array)), async (v) => expectRefusedAsync(() => fromPdf(v as never), `fromPdf(${preview(v)})`)),
      { numRuns: 30 },
    );
  });

  it('defineRulePack refuses a non-object with a RulePackError or TypeError', () => {
    fc.assert(
      fc.property(notAString, (v) => expectRefused(() => defineRulePack(v as never), `defineRulePack(${preview(v)})`)),
      RUNS,
    );
  });
});

describe('options objects of the wrong shape', () => {
  it('fromText: any options value gives a typed error or a document that validates, with a string id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINDINGS), fc.oneof(fc.anything({ maxDepth: 2 }), fc.record({ id: fc.anything(), meta: fc.anything() }, { requiredKeys: [] })), (text, options) => {
        expectSaneOrTyped(
          () => fromText(text, options as never),
          (doc) => {
            const parsed = ReportDocumentSchema.safeParse(doc);
            expect(parsed.success, `fromText(…, ${preview(options)}) returned an invalid document: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 2))}`).toBe(true);
          },
          `fromText(…, ${preview(options)})`,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('fromPdf: any options value gives a typed error or a document that validates', async () => {
    const pdf = makeTextPdf([[{ text: 'Areas for development', size: 16 }, FINDINGS[1]!]]);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.record({ maxPages: fc.anything(), id: fc.anything(), meta: fc.anything() }, { requiredKeys: [] })), async (options) => {
        await expectSaneOrTypedAsync(
          () => fromPdf(pdf, options as never),
          (doc) => {
            const parsed = ReportDocumentSchema.safeParse(doc);
            expect(parsed.success, `fromPdf(…, ${preview(options)}) returned an invalid document`).toBe(true);
          },
          `fromPdf(…, ${preview(options)})`,
        );
      }),
      { numRuns: 15 },
    );
  });

  it('createRuleClassifier: any options value gives a typed error or a working classifier', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(null, undefined, 42, 'packs'), fc.anything({ maxDepth: 2 }), fc.record({ rulePacks: fc.anything({ maxDepth: 1 }), thresholds: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] })), (options) => {
        const outcome = attempt(() => createRuleClassifier(options as never));
        if (!outcome.ok) return expectTypedError(outcome.error, `createRuleClassifier(${preview(options)})`);
        const r = outcome.value.classify(FINDINGS[1]!);
        expect(FindingResultSchema.safeParse(r).success).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('createRuleClassifier and createClassifier agree on which option values are wrong (null, numbers, strings)', () => {
    for (const bad of [null, 42, 'rules', true]) {
      const rule = attempt(() => createRuleClassifier(bad as never));
      const full = attempt(() => createClassifier(bad as never));
      expect(full.ok, `createClassifier(${preview(bad)})`).toBe(false);
      expect(rule.ok, `createRuleClassifier(${preview(bad)}) accepted what createClassifier refuses`).toBe(false);
      if (!rule.ok) expectTypedError(rule.error, `createRuleClassifier(${preview(bad)})`);
    }
  });

  it('a classifier option (or makeClassifier result) that is not a classifier is refused with a typed error', async () => {
    const notAClassifier = fc.oneof(fc.integer(), fc.string(), fc.object({ maxDepth: 1 }), fc.constant({ classify: () => null, classifyMany: () => [], themes: [] }));
    await fc.assert(
      fc.asyncProperty(notAClassifier, async (classifier) => {
        const text = FINDINGS.slice(0, 3).join(' ');
        expectRefused(() => extractFindings(text, { classifier: classifier as never }), `extractFindings(…, { classifier: ${preview(classifier)} })`);
        await expectRefusedAsync(() => summariseReport(text, { classifier: classifier as never }), `summariseReport(…, { classifier: ${preview(classifier)} })`);
        const sentences = [{ doc: 'bromley-2020-01-01', sentence: 0, hash: hashText(text), text, finding: false, themes: [], polarity: 'neutral', sample: 'seed', annotator: 'fc', authority: 'bromley' }] as LabelledSentence[];
        expectRefused(() => crossValidate(sentences, { folds: 1, makeClassifier: () => classifier as never }), `crossValidate(…, makeClassifier → ${preview(classifier)})`);
      }),
      { numRuns: 20 },
    );
  });

  it('summariseReport: a non-object options value gives a typed error or a summary', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant(null), fc.constant(null), fc.integer(), fc.string(), fc.boolean()), async (options) => {
        await expectSaneOrTypedAsync(() => summariseReport(FINDINGS[1]!, options as never), (s) => checkSummary(s, MODEL_CLASSIFIER.themes.map((t) => t.id)), `summariseReport(…, ${preview(options)})`);
      }),
      { numRuns: 20 },
    );
  });

  it('summariseReport: a bad "notable" limit (negative, fractional, NaN, a string) gives a typed error or at most max(0, limit) notable findings', async () => {
    const text = [...FINDINGS, ...FINDINGS.map((f) => f.replace('.', ' in most cases.'))].join('\n\n');
    await fc.assert(
      fc.asyncProperty(fc.record({ notable: fc.oneof(fc.constantFrom(-1, -2, -3, 0, 1, 2.5, Number.NaN, '2'), fc.integer({ min: -3, max: 5 }), fc.double(), fc.string()) }), async (options) => {
        await expectSaneOrTypedAsync(
          () => summariseReport(text, options as never),
          (summary) => {
            const limit = typeof options === 'object' && options !== null && typeof options.notable === 'number' ? options.notable : 3;
            for (const [theme, { negative, positive }] of Object.entries(summary.notable)) {
              const bound = Number.isNaN(limit) ? 0 : Math.max(0, limit);
              expect(negative.length, `notable.${theme}.negative with notable=${preview(limit)}`).toBeLessThanOrEqual(bound);
              expect(positive.length, `notable.${theme}.positive with notable=${preview(limit)}`).toBeLessThanOrEqual(bound);
            }
          },
          `summariseReport(…, ${preview(options)})`,
        );
      }),
      { numRuns: 30 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('text ingestion and segmentation', () => {
  it('normaliseText and segmentSentences are deterministic on arbitrary binary and grapheme strings, with spans inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 }), reportText), (raw) => {
        const n = expectSaneOrTyped(() => normaliseText(raw), () => undefined, 'normaliseText');
        expect(n).toBeDefined();
        const spans = expectSaneOrTyped(() => segmentSentences(raw), () => undefined, 'segmentSentences')!;
        for (const [s, e] of spans) {
          expect(Number.isInteger(s) && Number.isInteger(e)).toBe(true);
          expect(0 <= s && s < e && e <= raw.length).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('segmentDocument(id, normaliseText(raw), meta) is exactly fromText(raw, { id, meta })', () => {
    fc.assert(
      fc.property(anyText, fc.string({ maxLength: 30 }), fc.record({ authority: fc.string({ maxLength: 20 }), date: fc.string({ maxLength: 12 }) }, { requiredKeys: [] }), (raw, id, meta) => {
        const direct = segmentDocument(id, normaliseText(raw), meta);
        expect(stable(direct)).toBe(stable(fromText(raw, { id, meta })));
        expect(ReportDocumentSchema.safeParse(direct).success).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('segmentDocument on a hand-built NormalisedText: a typed error, or a document whose spans index its own text and whose id is a string', () => {
    const block = fc.record({
      kind: fc.constantFrom('heading', 'paragraph', 'list-item', 'table-row', 'line', 'bogus'),
      text: fc.oneof(fc.constantFrom(...FINDINGS), fc.string({ maxLength: 40 })),
      start: fc.integer({ min: -5, max: 200 }),
      end: fc.integer({ min: -5, max: 200 }),
      level: fc.option(fc.integer({ min: -1, max: 7 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)), fc.record({ text: fc.string({ maxLength: 200 }), blocks: fc.array(block, { maxLength: 5 }) }), (id, normalised) => {
        expectSaneOrTyped(
          () => segmentDocument(id as string, normalised as never),
          (doc) => {
            expect(typeof doc.id, `segmentDocument(${preview(id)}, …) returned a document with id ${preview(doc.id)}`).toBe('string');
            for (const s of doc.sentences) expect(doc.text.slice(s.span.start, s.span.end), `sentence ${s.index} of a forged NormalisedText`).toBe(s.text);
          },
          `segmentDocument(${preview(id)}, ${preview(normalised)})`,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('hashText: 16 lowercase hex digits, deterministic, and different for different short strings', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })), { minLength: 2, maxLength: 300 }), (texts) => {
        const hashes = texts.map((t) => hashText(t));
        for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{16}$/);
        expect(texts.map((t) => hashText(t))).toEqual(hashes);
        expect(new Set(hashes).size).toBe(texts.length);
      }),
      { numRuns: 50 },
    );
  });
});

// ---------------------------------------------------------------------------

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvCell = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('', ' ', ',', '"', '""', '\n', '\r\n', 'a,b', 'say "hi"', '\r'));

describe('parseCsv', () => {
  it('round-trips RFC 4180 rows (quotes, commas, CR and LF inside fields), with LF or CRLF line ends', () => {
    fc.assert(
      fc.property(fc.array(fc.array(csvCell, { minLength: 2, maxLength: 5 }), { maxLength: 10 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (rows, eol, trailing) => {
        const text = rows.map((r) => r.map(csvField).join(',')).join(eol) + (trailing && rows.length > 0 ? eol : '');
        expect(parseCsv(text)).toEqual(rows);
      }),
      { numRuns: 150 },
    );
  });

  it('without quotes, loses nothing: the rows rejoined are the non-blank lines of the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '\n', '\r', 'é', '😀', '\t'), maxLength: 120 }), (text) => {
        const lines = text.split(/\r\n|\r|\n/).filter((l) => l !== '');
        expect(parseCsv(text).map((r) => r.join(','))).toEqual(lines);
      }),
      { numRuns: 200 },
    );
  });

  it('a one-column CSV keeps its explicitly empty ("") cells instead of dropping those rows', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 8 })), { minLength: 1, maxLength: 8 }), (cells) => {
        const text = cells.map((c) => `"${c.replace(/"/g, '""')}"`).join('\n');
        expect(parseCsv(text), `parseCsv(${JSON.stringify(text)})`).toEqual(cells.map((c) => [c]));
      }),
      { numRuns: 60 },
    );
  });

  it('on arbitrary text returns rows of strings, deterministically, with no row empty', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expectSaneOrTyped(
          () => parseCsv(text),
          (rows) => {
            for (const r of rows) {
              expect(r.length).toBeGreaterThan(0);
              for (const c of r) expect(typeof c).toBe('string');
            }
          },
          'parseCsv',
        );
      }),
      { numRuns: 100 },
    );
  });
});

const MANIFEST_COLUMNS = ['id', 'urn', 'local_authority', 'published', 'framework', ...JudgementAreaSchema.options, 'source_url', 'sha256', 'notes'];
const gradeCell = fc.oneof(fc.constantFrom(...GradeSchema.options), fc.constantFrom('', 'data_unreadable', 'Good', ' good ', 'n/a'), fc.string({ maxLength: 8 }));

describe('parseManifest', () => {
  it('round-trips well-formed manifests, whatever the column order and quoting: one entry per row, grades and notes split', () => {
    const row = fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      urn: fc.string({ maxLength: 8 }),
      local_authority: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
      published: fc.string({ maxLength: 10 }),
      framework: fc.constantFrom('ILACS', 'SIF', ''),
      overall_effectiveness: gradeCell,
      impact_of_leaders: gradeCell,
      help_and_protection: gradeCell,
      children_in_care: gradeCell,
      care_leavers: gradeCell,
      source_url: fc.webUrl(),
      sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
      notes: fc.string({ maxLength: 20 }),
    });
    fc.assert(
      fc.property(fc.shuffledSubarray(MANIFEST_COLUMNS, { minLength: MANIFEST_COLUMNS.length }), fc.array(row, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (columns, rows, eol) => {
        const csv = [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c as keyof typeof r])).join(','))].join(eol) + eol;
        const entries = parseManifest(csv);
        expect(entries).toHaveLength(rows.length);
        entries.forEach((e, i) => {
          const r = rows[i]!;
          expect(ManifestEntrySchema.safeParse(e).success).toBe(true);
          expect(e.id).toBe(r.id.trim());
          expect(e.authority).toBe(r.local_authority.trim());
          expect(e.sha256).toBe(r.sha256);
          for (const area of JudgementAreaSchema.options) {
            const cell = r[area].trim();
            if (GradeSchema.safeParse(cell).success) expect(e.grades[area]).toBe(cell);
            else if (cell !== '') expect(e.gradeNotes[area]).toBe(cell);
            else {
              expect(e.grades[area]).toBeUndefined();
              expect(e.gradeNotes[area]).toBeUndefined();
            }
          }
        });
      }),
      { numRuns: 80 },
    );
  });

  it('a stray quote or a row with more cells than the header is an IngestError, not rows silently swallowed or cells silently dropped', () => {
    const header = 'id,local_authority,published,sha256';
    const rows = fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.stringMatching(/^[A-Z][a-z]{1,10}$/)), { minLength: 3, maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.nat(), fc.constantFrom('quote', 'extra'), (entries, at, damage) => {
        const lines = entries.map(([id, la]) => `${id},${la},2020-01-01,abc`);
        const i = at % lines.length;
        lines[i] = damage === 'quote' ? lines[i]!.replace(',', ',"') : `${lines[i]},Bromley, London`;
        const csv = [header, ...lines].join('\n') + '\n';
        const outcome = attempt(() => parseManifest(csv));
        if (outcome.ok) {
          expect(outcome.value.length, `${damage}: parseManifest returned ${outcome.value.length} of ${entries.length} rows for\n${csv}`).toBe(entries.length);
          expect(damage, `parseManifest accepted a row with ${lines[i]!.split(',').length} cells under a ${header.split(',').length}-column header:\n${lines[i]}`).not.toBe('extra');
        } else {
          expectTypedError(outcome.error, 'parseManifest');
          expect(outcome.error).toBeInstanceOf(IngestError);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('on arbitrary manifests (blank cells, short rows, arbitrary text) gives an IngestError or entries that satisfy ManifestEntrySchema', () => {
    const header = fc.shuffledSubarray(MANIFEST_COLUMNS, { minLength: 4 });
    const csvText = fc.oneof(
      anyText,
      fc.tuple(header, fc.array(fc.array(csvCell, { maxLength: 14 }), { maxLength: 5 })).map(([h, rows]) => [h.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n')),
      fc.constant('id,local_authority,published,sha256\nbromley-2011-05-10,,2011-05-10,abc\n'),
    );
    fc.assert(
      fc.property(csvText, (csv) => {
        expectSaneOrTyped(
          () => parseManifest(csv),
          (entries) => {
            for (const e of entries) {
              const parsed = ManifestEntrySchema.safeParse(e);
              expect(parsed.success, `parseManifest returned an entry that fails ManifestEntrySchema: ${preview(e)} — ${parsed.success ? '' : parsed.error.issues[0]?.message}`).toBe(true);
            }
          },
          `parseManifest(${preview(csv)})`,
        );
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------

const docIdArb = fc.tuple(fc.stringMatching(/^[a-z]+(-[a-z]+){0,3}$/), fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(
  ([a, y, m, d]) => `${a}-${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
);
const annotationArb: fc.Arbitrary<Annotation> = fc
  .record({
    doc: docIdArb,
    sentence: fc.nat({ max: 400 }),
    hash: fc.stringMatching(/^[0-9a-f]{16}$/),
    finding: fc.boolean(),
    themes: fc.subarray([...CORE_THEMES]),
    polarity: fc.constantFrom(...POLARITIES),
    sample: fc.constantFrom('seed', 'random', 'enrichment'),
    annotator: fc.string({ minLength: 1, maxLength: 8 }),
    text: fc.string({ unit: 'grapheme', maxLength: 60 }),
    section: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    adjudicated: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((r) => {
    const a: Record<string, unknown> = {
      doc: r.doc,
      sentence: r.sentence,
      hash: r.hash,
      finding: r.finding,
      themes: r.finding ? [...r.themes].sort() : [],
      polarity: r.finding ? r.polarity : 'neutral',
      sample: r.sample,
      annotator: r.annotator,
    };
    if (r.sample === 'seed') a['text'] = r.text;
    if (r.section !== undefined) a['section'] = r.section;
    if (r.adjudicated !== undefined) a['adjudicated'] = r.adjudicated;
    return a as Annotation;
  });

function annotationFor(doc: string, sentence: number, hash: string, text?: string): Annotation {
  return { doc, sentence, hash, finding: false, themes: [], polarity: 'neutral', sample: text === undefined ? 'random' : 'seed', annotator: 'fc', ...(text !== undefined ? { text } : {}) };
}

describe('annotations', () => {
  it('parseAnnotations round-trips JSONL (LF or CRLF, blank lines anywhere): nothing dropped, nothing changed', () => {
    fc.assert(
      fc.property(fc.array(annotationArb, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\n\n', '\n \n'), (annotations, sep) => {
        expect(annotations.every((a) => AnnotationSchema.safeParse(a).success)).toBe(true);
        const jsonl = annotations.map((a) => JSON.stringify(a)).join(sep) + sep;
        expect(parseAnnotations(jsonl, 'a.jsonl')).toEqual(annotations);
      }),
      { numRuns: 100 },
    );
  });

  it('parseAnnotations on arbitrary text and arbitrary JSON lines: an ANNOTATION_INVALID error naming the line, or valid annotations', () => {
    const line = fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), annotationArb.map((a) => JSON.stringify(a)), fc.string({ unit: 'grapheme', maxLength: 40 }));
    fc.assert(
      fc.property(fc.oneof(anyText, fc.array(line, { maxLength: 5 }).map((ls) => ls.join('\n'))), (jsonl) => {
        const outcome = attempt(() => parseAnnotations(jsonl, 'fuzz.jsonl'));
        if (outcome.ok) {
          for (const a of outcome.value) expect(AnnotationSchema.safeParse(a).success).toBe(true);
          expect(outcome.value.length).toBe(jsonl.split('\n').filter((l) => l.trim() !== '').length);
        } else {
          expectTypedError(outcome.error, `parseAnnotations(${preview(jsonl)})`);
          expect(outcome.error).toBeInstanceOf(OfstedFindingsError);
          expect((outcome.error as OfstedFindingsError).code).toBe('ANNOTATION_INVALID');
          expect((outcome.error as Error).message).toMatch(/^fuzz\.jsonl:\d+: /);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('joinAnnotations: a reference with the right hash joins to its sentence; a wrong hash, index or document fails loudly, never silently', () => {
    fc.assert(
      fc.property(reportText, docIdArb, fc.array(fc.tuple(fc.nat(), fc.constantFrom('ok', 'hash', 'index', 'doc', 'text')), { minLength: 1, maxLength: 6 }), (raw, docId, picks) => {
        const doc = fromText(raw, { id: docId });
        const documents = new Map<string, ReportDocument>([[docId, doc]]);
        for (const [n, damage] of picks) {
          if (doc.sentences.length === 0 && damage === 'ok') continue;
          const s = doc.sentences[n % Math.max(1, doc.sentences.length)];
          let a: Annotation;
          if (damage === 'ok' && s) a = annotationFor(docId, s.index, s.hash, n % 2 === 0 ? s.text : undefined);
          else if (damage === 'hash' && s) a = annotationFor(docId, s.index, hashText(s.text + 'x'));
          else if (damage === 'text' && s) a = annotationFor(docId, s.index, s.hash, s.text + ' (edited)');
          else if (damage === 'doc') a = annotationFor(`${docId}-other`, 0, s?.hash ?? '0123456789abcdef');
          else a = annotationFor(docId, doc.sentences.length + (n % 5), s?.hash ?? '0123456789abcdef');
          const outcome = attempt(() => joinAnnotations([a], documents));
          if (damage === 'ok' && s) {
            expect(outcome.ok, outcome.ok ? '' : describeError(outcome.error)).toBe(true);
            if (outcome.ok) {
              expect(outcome.value).toHaveLength(1);
              const j = outcome.value[0]!;
              expect(j.text).toBe(s.text);
              expect(j.authority).toBe(authorityOf(docId));
              expect(j.kind).toBe(s.kind);
              expect(j.section).toBe(s.section);
            }
          } else {
            expect(outcome.ok, `damage "${damage}" was not detected`).toBe(false);
            if (!outcome.ok) {
              expect(outcome.error).toBeInstanceOf(IngestError);
              expect(['HASH_MISMATCH', 'CORPUS_MISSING']).toContain((outcome.error as IngestError).code);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('authorityOf strips exactly one trailing -YYYY-MM-DD and is otherwise the identity', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), docIdArb), fc.option(fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })), { nil: undefined }), (stem, date) => {
        const suffix = date ? `-${String(date[0]).padStart(4, '0')}-${String(date[1]).padStart(2, '0')}-${String(date[2]).padStart(2, '0')}` : '';
        const id = stem + suffix;
        const a = authorityOf(id);
        expect(authorityOf(id)).toBe(a);
        expect(id.startsWith(a)).toBe(true);
        if (date) expect(a).toBe(stem);
        else if (!/-\d{4}-\d{2}-\d{2}$/.test(id)) expect(a).toBe(id);
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('agreement statistics', () => {
  const label = fc.constantFrom<unknown>('a', 'b', 'c', 1, 2, true, false, null, undefined);

  it('cohenKappa: κ in [-1, 1] (NaN only for no items), observed in [0, 1], n = length; a length mismatch is a RangeError', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(label, label), { maxLength: 40 }), (pairs) => {
        const a = pairs.map(([x]) => x);
        const b = pairs.map(([, y]) => y);
        const r = cohenKappa(a, b);
        expect(r.n).toBe(pairs.length);
        if (pairs.length === 0) {
          expect(r.kappa).toBeNaN();
          return;
        }
        expect(r.kappa).toBeGreaterThanOrEqual(-1 - 1e-12);
        expect(r.kappa).toBeLessThanOrEqual(1 + 1e-12);
        expect(isProbability(r.observed)).toBe(true);
        expect(stable(cohenKappa(a, b))).toBe(stable(r));
        expect(() => cohenKappa(a, [...b, 'extra'])).toThrow(RangeError);
      }),
      { numRuns: 200 },
    );
  });

  it('cohenKappa: κ = 1 for two identical label lists that are not constant', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 2, maxLength: 40 }), (a) => {
        fc.pre(new Set(a).size > 1);
        expect(cohenKappa(a, [...a]).kappa).toBeCloseTo(1, 12);
      }),
      { numRuns: 200 },
    );
  });

  it('cohenKappa: identical lists containing NaN labels still agree perfectly (κ = 1)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<unknown>(Number.NaN, 'a', 'b'), { minLength: 2, maxLength: 20 }), (a) => {
        fc.pre(new Set(a).size > 1);
        expect(cohenKappa(a, [...a]).kappa, `cohenKappa(${preview(a)}, same)`).toBeCloseTo(1, 12);
      }),
      { numRuns: 100 },
    );
  });

  it('agreement: n counts the matched pairs, every κ is in [-1, 1] or NaN, themes are exactly those asked for, and a list agrees with itself', () => {
    const themes = fc.subarray([...CORE_THEMES, 'voice-of-the-child']);
    fc.assert(
      fc.property(fc.array(annotationArb, { maxLength: 15 }), fc.array(annotationArb, { maxLength: 15 }), themes, fc.boolean(), (first, extra, ts, shareDocs) => {
        // Make some of the second list refer to the same sentences as the first.
        const second = shareDocs ? [...first.map((a, i) => (i % 2 === 0 ? { ...a, polarity: a.finding ? a.polarity : 'neutral' } : a)), ...extra] : extra;
        const r = agreement(first, second, ts);
        const key = (a: Annotation) => `${a.doc}#${a.sentence}`;
        const keys = new Set(second.map(key));
        expect(r.n).toBe(first.filter((a) => keys.has(key(a))).length);
        expect(Object.keys(r.themes).sort()).toEqual([...new Set(ts)].sort());
        for (const k of [r.finding, r.polarity, ...Object.values(r.themes)]) {
          if (!Number.isNaN(k)) {
            expect(k).toBeGreaterThanOrEqual(-1 - 1e-12);
            expect(k).toBeLessThanOrEqual(1 + 1e-12);
          }
        }
        expect(isCount(r.disagreements) && r.disagreements <= r.n).toBe(true);
        const self = agreement(first, first, ts);
        expect(self.disagreements).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('rules: tokenize and analyseSentence', () => {
  it('tokenize: tokens are non-empty, in order, non-overlapping, inside the text, and their norm is the lowercased slice', () => {
    fc.assert(
      fc.property(fc.oneof(sentenceText, anyText), (text) => {
        const tokens = expectSaneOrTyped(() => tokenize(text), () => undefined, 'tokenize')!;
        let at = 0;
        for (const t of tokens) {
          expect(t.start).toBeGreaterThanOrEqual(at);
          expect(t.end).toBeGreaterThan(t.start);
          expect(t.end).toBeLessThanOrEqual(text.length);
          expect(t.norm).toBe(text.slice(t.start, t.end).toLowerCase().replace(/'s$/, ''));
          expect(['word', 'number', 'punct']).toContain(t.kind);
          expect(typeof t.stem).toBe('string');
          if (t.kind !== 'word') expect(t.stem).toBe(t.norm);
          at = t.end;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('analyseSentence: evidence spans index the sentence, scores are finite, theme scores name known themes, deterministic', () => {
    const themeIds = new Set(RULES.themes.map((t) => t.id));
    fc.assert(
      fc.property(sentenceText, fc.option(fc.oneof(fc.constantFrom('Areas for development', 'Strengths', 'What needs to improve'), fc.string({ maxLength: 30 })), { nil: undefined }), (text, section) => {
        const headingTokens = section === undefined ? undefined : tokenize(section);
        const r = expectSaneOrTyped(() => analyseSentence(RULES, text, section, headingTokens), () => undefined, 'analyseSentence')!;
        expect(stable(r.tokens)).toBe(stable(tokenize(text)));
        expect(r.negated.length).toBe(r.tokens.length);
        for (const e of r.evidence) {
          expect(Number.isFinite(e.weight)).toBe(true);
          if (e.span) {
            expect(0 <= e.span.start && e.span.start <= e.span.end && e.span.end <= text.length).toBe(true);
            expect(text.slice(e.span.start, e.span.end)).toBe(e.text);
          }
        }
        for (const [theme, score] of r.themeScores) {
          expect(themeIds.has(theme)).toBe(true);
          expect(Number.isFinite(score)).toBe(true);
        }
        for (const v of Object.values(r.polarity)) expect(Number.isFinite(v)).toBe(true);
        expect(Number.isFinite(r.finding)).toBe(true);
        expect(typeof r.recommendation).toBe('boolean');
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('hostile rule packs', () => {
  const packKeys = fc.record(
    {
      id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/), fc.anything({ maxDepth: 0 })),
      version: fc.oneof(fc.constant('1.0.0'), fc.anything({ maxDepth: 0 })),
      description: fc.oneof(fc.string({ maxLength: 20 }), fc.anything({ maxDepth: 0 })),
      extends: fc.oneof(fc.constantFrom('core-themes', 'ofsted-findings:polarity', 'missing', 'constructor'), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.anything({ maxDepth: 1 })),
      themes: fc.oneof(fc.array(fc.record({ id: fc.stringMatching(/^[a-z][a-z-]{0,10}$/), label: fc.string({ minLength: 1, maxLength: 10 }), description: fc.string({ maxLength: 10 }) }), { maxLength: 2 }), fc.anything({ maxDepth: 1 })),
      rules: fc.oneof(
        fc.array(
          fc.record({
            id: fc.stringMatching(/^[a-z][a-z.]{0,10}$/),
            target: fc.constantFrom({ theme: 'recording' }, { theme: 'nowhere' }, { polarity: 'negative' }, { cue: 'hedge' }, { finding: true }, {}, { theme: 'recording', cue: 'hedge' }),
            patterns: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
            weight: fc.oneof(fc.integer({ min: -120, max: 120 }), fc.double()),
          }),
          { maxLength: 3 },
        ),
        fc.anything({ maxDepth: 1 }),
      ),
      overrides: fc.oneof(fc.array(fc.record({ rule: fc.constantFrom('recording.gaps', 'nope', 'toString'), weight: fc.integer({ min: -5, max: 5 }) }), { maxLength: 2 }), fc.anything({ maxDepth: 1 })),
      surprise: fc.anything({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  );

  const candidates = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.anything({ maxDepth: 2 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    packKeys,
    packKeys.map((p) => JSON.stringify(p) ?? ''),
  );

  function checkPackOutcome(input: unknown, call: () => RulePack): RulePack | undefined {
    const outcome = attempt(call);
    if (!outcome.ok) {
      expectTypedError(outcome.error, `parseRulePack(${preview(input)})`);
      expect(outcome.error, `parseRulePack(${preview(input)}) threw ${describeError(outcome.error)}`).toBeInstanceOf(RulePackError);
      return undefined;
    }
    expect(RulePackSchema.safeParse(outcome.value).success).toBe(true);
    return outcome.value;
  }

  it('parseRulePack on arbitrary JSON values, arbitrary strings and pack-shaped objects: a RulePackError or a valid pack', () => {
    fc.assert(
      fc.property(candidates, (input) => {
        checkPackOutcome(input, () => parseRulePack(input));
      }),
      { numRuns: 300 },
    );
  });

  it('defineRulePack on pack-shaped objects: a RulePackError, or the same object back', () => {
    fc.assert(
      fc.property(packKeys, (input) => {
        const outcome = attempt(() => defineRulePack(input as never));
        if (outcome.ok) expect(outcome.value).toBe(input);
        else {
          expectTypedError(outcome.error, `defineRulePack(${preview(input)})`);
          expect(outcome.error).toBeInstanceOf(RulePackError);
        }
      }),
      { numRuns: 150 },
    );
  });

  const patternToken = fc.oneof(
    fc.constantFrom('supervision', 'record*', '=records', 'not', 'always?', '~2', '~0', '~6', '#', ',', ';', '(', 'a|b', '|', 'x||y', 'multi-agency', 'multi-agency?', '=x*', 'x*', 'su*', '*', '?', '!', 'é', '日本', "'s", '-', '--', 'a-', '-b', '=', '==', '=,', 'constructor', '__proto__', 'not?', '#?', ',?'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  );
  const pattern = fc.array(patternToken, { minLength: 1, maxLength: 7 }).map((p) => p.join(' '));

  it('hostile patterns: a pack of fuzzed patterns is refused with a RulePackError, or compiles and classifies any sentence sanely', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 4 }), fc.integer({ min: -100, max: 100 }), sentenceText, (patterns, weight, sentence) => {
        const pack = {
          id: 'fuzz',
          version: '1',
          description: 'fuzzed patterns',
          themes: [{ id: 'fuzz-theme', label: 'Fuzz', description: 'x' }],
          rules: [
            { id: 'fuzz.theme', target: { theme: 'fuzz-theme' }, patterns, weight },
            { id: 'fuzz.neg', target: { polarity: 'negative' }, patterns, weight },
          ],
        };
        const parsed = checkPackOutcome(pack, () => parseRulePack(pack));
        if (!parsed) return;
        const outcome = attempt(() => createRuleClassifier({ rulePacks: [parsed] }));
        if (!outcome.ok) {
          expectTypedError(outcome.error, `createRuleClassifier with patterns ${preview(patterns)}`);
          return;
        }
        const c = outcome.value;
        expect(c.themes.map((t) => t.id)).toContain('fuzz-theme');
        const r = expectSaneOrTyped(() => c.classify(sentence), () => undefined, `classify with patterns ${preview(patterns)}`)!;
        expect(FindingResultSchema.safeParse(r).success).toBe(true);
        for (const e of [...r.evidence, ...r.themes.flatMap((t) => t.evidence)]) {
          if (e.span && e.kind === 'rule') expect(sentence.slice(e.span.start, e.span.end)).toBe(e.text);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('mutating one field of a built-in pack: compileRulePacks gives a RulePackError or a rule set a classifier can use', () => {
    const packs = BUILTIN_RULE_PACKS.map((p) => JSON.parse(JSON.stringify(p)) as RulePack);
    fc.assert(
      fc.property(fc.nat({ max: packs.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), (which, path, value) => {
        const mutated = structuredClone(packs);
        let node: unknown = mutated[which];
        for (let d = 0; d < path.length - 1; d++) {
          if (node === null || typeof node !== 'object') break;
          const keys = Object.keys(node);
          if (keys.length === 0) break;
          const next = (node as Record<string, unknown>)[keys[path[d]! % keys.length]!];
          if (next === null || typeof next !== 'object') break;
          node = next;
        }
        if (node !== null && typeof node === 'object') {
          const keys = Object.keys(node);
          const key = keys.length > 0 ? keys[path[path.length - 1]! % keys.length]! : 'x';
          (node as Record<string, unknown>)[key] = value;
        }
        const outcome = attempt(() => compileRulePacks(mutated));
        if (!outcome.ok) {
          expectTypedError(outcome.error, 'compileRulePacks(mutated built-ins)');
          expect(outcome.error).toBeInstanceOf(RulePackError);
          return;
        }
        expect(outcome.value.rules.length).toBeGreaterThanOrEqual(0);
        const r = analyseSentence(outcome.value, FINDINGS[1]!);
        for (const e of r.evidence) if (e.span) expect(FINDINGS[1]!.slice(e.span.start, e.span.end)).toBe(e.text);
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('model files', () => {
  const MODEL_TEXT = readFileSync(join(packageRoot(), 'models', 'ofsted-findings.model.json'), 'utf8');

  it('loadModel on arbitrary JSON values and strings always throws a ModelError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? '')), (input) => {
        const outcome = attempt(() => loadModel(input));
        expect(outcome.ok, `loadModel(${preview(input)}) returned a model`).toBe(false);
        if (!outcome.ok) {
          expectTypedError(outcome.error, `loadModel(${preview(input)})`);
          expect(outcome.error).toBeInstanceOf(ModelError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('loadModel on model-shaped objects (right format and version, arbitrary fields) throws a ModelError', () => {
    const header = fc.record(
      {
        format: fc.constant('ofsted-findings-model'),
        version: fc.oneof(fc.constant(1), fc.anything({ maxDepth: 0 })),
        features: fc.anything({ maxDepth: 1 }),
        vocabulary: fc.oneof(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.anything({ maxDepth: 1 })),
        finding: fc.anything({ maxDepth: 2 }),
        themes: fc.anything({ maxDepth: 2 }),
        polarity: fc.anything({ maxDepth: 2 }),
        checksum: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), fc.anything({ maxDepth: 0 })),
      },
      { requiredKeys: ['format'] },
    );
    fc.assert(
      fc.property(header, (input) => {
        const outcome = attempt(() => loadModel(input));
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error, describeError(outcome.error)).toBeInstanceOf(ModelError);
      }),
      { numRuns: 150 },
    );
  });

  it('loadModel on the bundled model text cut at any point throws MODEL_CORRUPT', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MODEL_TEXT.trimEnd().length - 1 }), (cut) => {
        const outcome = attempt(() => loadModel(MODEL_TEXT.slice(0, cut)));
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(ModelError);
          expect(['MODEL_CORRUPT', 'MODEL_FORMAT']).toContain((outcome.error as ModelError).code);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('loadModel on the bundled model with one field replaced by arbitrary JSON: a ModelError unless nothing changed', () => {
    const original = JSON.parse(MODEL_TEXT) as Record<string, unknown>;
    const topKeys = Object.keys(original);
    fc.assert(
      fc.property(fc.nat({ max: topKeys.length - 1 }), fc.array(fc.nat(), { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), (top, path, value) => {
        // Copy only the objects along the path; loadModel must not (and does not need to) mutate its input.
        const copy = (v: unknown): Record<string, unknown> => (Array.isArray(v) ? ([...v] as unknown as Record<string, unknown>) : { ...(v as Record<string, unknown>) });
        const model = copy(original);
        let parent = model;
        let key = topKeys[top]!;
        for (const p of path) {
          const child = parent[key];
          if (child === null || typeof child !== 'object') break;
          const keys = Object.keys(child);
          if (keys.length === 0) break;
          const own = copy(child);
          parent[key] = own;
          parent = own;
          key = keys[p % keys.length]!;
        }
        const changed = stable(parent[key]) !== stable(value);
        parent[key] = value;
        const outcome = attempt(() => loadModel(model));
        if (!changed) expect(outcome.ok).toBe(true);
        else {
          expect(outcome.ok, `a model with ${key} = ${preview(value)} was accepted`).toBe(false);
          if (!outcome.ok) expect(outcome.error, describeError(outcome.error)).toBeInstanceOf(ModelError);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('bundledModel returns the same validated, frozen model every time', () => {
    const a = bundledModel();
    expect(bundledModel()).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(stable(loadModel(structuredClone(a)))).toBe(stable(a));
  });
});

// ---------------------------------------------------------------------------

describe('classification helpers', () => {
  it('scoreThemes: keys are exactly the classifier theme ids, values in [0, 1], deterministic, and agree with classify', () => {
    fc.assert(
      fc.property(fc.boolean(), sentenceText, fc.option(fc.record({ section: fc.constantFrom('Areas for development', 'Strengths', ''), kind: fc.constantFrom('paragraph', 'list-item', 'table-row') }, { requiredKeys: [] }), { nil: undefined }), (useModel, text, options) => {
        const c = useModel ? MODEL_CLASSIFIER : RULE_CLASSIFIER;
        const scores = expectSaneOrTyped(() => scoreThemes(c, text, options), () => undefined, 'scoreThemes')!;
        expect(Object.keys(scores).sort()).toEqual(c.themes.map((t) => t.id).sort());
        for (const v of Object.values(scores)) expect(isProbability(v)).toBe(true);
        const r = c.classify(text, options);
        if (!r.isFinding) expect(Object.values(scores).every((v) => v === 0)).toBe(true);
        for (const t of r.themes) expect(scores[t.theme]).toBeCloseTo(t.score, 12);
      }),
      { numRuns: 120 },
    );
  });

  it('scoreThemes: a non-string text gives all zeros or a typed error, never a crash', () => {
    fc.assert(
      fc.property(notAString, (v) => {
        expectSaneOrTyped(() => scoreThemes(RULE_CLASSIFIER, v as string), (s) => expect(Object.values(s).every((x) => x === 0)).toBe(true), `scoreThemes(c, ${preview(v)})`);
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------

function checkJudgements(judgements: ReturnType<typeof extractJudgements>): void {
  const areas = judgements.map((j) => j.area);
  expect(new Set(areas).size).toBe(areas.length);
  expect(areas).toEqual([...areas].sort((a, b) => FIVE_AREAS.indexOf(a) - FIVE_AREAS.indexOf(b)));
  for (const j of judgements) {
    expect(FIVE_AREAS).toContain(j.area);
    expect(STATED_GRADES).toContain(j.grade);
    expect(['table', 'heading', 'grade-line', 'statement']).toContain(j.source);
    expect(typeof j.text).toBe('string');
  }
}

function checkFindings(findings: ReadonlyArray<{ text: string; span: { start: number; end: number }; sentence: number }>, text: string): void {
  for (const f of findings) {
    expect(isCount(f.span.start) && isCount(f.span.end) && f.span.start <= f.span.end && f.span.end <= text.length).toBe(true);
    expect(text.slice(f.span.start, f.span.end)).toBe(f.text);
  }
}

function checkSummary(s: ReportSummary, themes: readonly string[], limit = 3): void {
  checkFindings(s.findings, s.text);
  for (const f of s.findings) expect(f.isFinding).toBe(true);
  expect(s.sentences).toBeGreaterThanOrEqual(s.findings.length);
  for (const t of [...themes, 'none']) expect(Object.keys(s.counts)).toContain(t);
  let total = 0;
  for (const [theme, byPolarity] of Object.entries(s.counts)) {
    for (const p of POLARITIES) {
      const n = byPolarity[p];
      expect(isCount(n), `counts.${theme}.${p} = ${n}`).toBe(true);
      total += n;
      const expected = s.findings.filter((f) => f.polarity === p && (theme === 'none' ? f.themes.length === 0 : f.themes.some((t) => t.theme === theme))).length;
      expect(n, `counts.${theme}.${p}`).toBe(expected);
    }
  }
  // Every finding is counted: once per theme it carries, or once under "none".
  expect(total).toBe(s.findings.reduce((sum, f) => sum + Math.max(1, f.themes.length), 0));
  for (const section of s.sections) {
    expect(section.findings.length).toBeGreaterThan(0);
    for (const i of section.findings) expect(i >= 0 && i < s.findings.length).toBe(true);
  }
  for (const [theme, { negative, positive }] of Object.entries(s.notable)) {
    expect(negative.length).toBeLessThanOrEqual(limit);
    expect(positive.length).toBeLessThanOrEqual(limit);
    for (const f of negative) expect(f.polarity === 'negative' && f.themes.some((t) => t.theme === theme)).toBe(true);
    for (const f of positive) expect(f.polarity === 'positive' && f.themes.some((t) => t.theme === theme)).toBe(true);
  }
  checkJudgements(s.judgements);
}

describe('reports', () => {
  it('extractJudgements on fromText output: only the five areas, each once, in order, with an allowed grade; deterministic', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        const js = expectSaneOrTyped(() => extractJudgements(doc), () => undefined, 'extractJudgements')!;
        checkJudgements(js);
      }),
      { numRuns: 150 },
    );
  });

  it('extractJudgements reads "The overall judgement is <grade>" wherever it sits in the first sentences', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FINDINGS), { maxLength: 10 }), fc.constantFrom('outstanding', 'good', 'inadequate', 'requires improvement to be good'), (before, grade) => {
        const doc = fromText([...before, `The overall judgement is ${grade}.`].join('\n\n'));
        const overall = extractJudgements(doc).find((j) => j.area === 'overall_effectiveness');
        expect(overall?.grade).toBe(grade.startsWith('requires') ? 'requires improvement' : grade);
      }),
      { numRuns: 40 },
    );
  });

  it('areaOf on arbitrary labels: one of the five areas or undefined, deterministically', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom(...GRADED, 'Care leavers', 'OVERALL EFFECTIVENESS')), (label) => {
        const a = areaOf(label);
        expect(areaOf(label)).toBe(a);
        if (a !== undefined) expect(FIVE_AREAS).toContain(a);
      }),
      { numRuns: 150 },
    );
  });

  it('extractFindings: one result per sentence of fromText(text), in order, with spans that index the document text', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const doc = fromText(raw);
        const findings = expectSaneOrTyped(() => extractFindings(raw, { classifier: RULE_CLASSIFIER }), () => undefined, 'extractFindings')!;
        expect(findings.map((f) => f.sentence)).toEqual(doc.sentences.map((s) => s.index));
        expect(findings.map((f) => f.span)).toEqual(doc.sentences.map((s) => s.span));
        checkFindings(findings, doc.text);
        for (const f of findings) expect(FindingResultSchema.safeParse(f).success).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('classifyDocument: text and its ingested document give the same results, with the default model classifier too', () => {
    fc.assert(
      fc.property(reportText, fc.boolean(), (raw, useModel) => {
        const c = useModel ? MODEL_CLASSIFIER : RULE_CLASSIFIER;
        const doc = fromText(raw);
        const fromString = classifyDocument(raw, c);
        expect(stable(classifyDocument(doc, c))).toBe(stable(fromString));
        expect(fromString).toHaveLength(doc.sentences.length);
        checkFindings(fromString, doc.text);
      }),
      { numRuns: 40 },
    );
  });

  it('summariseReport: findings index the report text, counts are non-negative integers and count every finding, deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, fc.boolean(), async (raw, useModel) => {
        const classifier = useModel ? MODEL_CLASSIFIER : RULE_CLASSIFIER;
        const s = await expectSaneOrTypedAsync(() => summariseReport(raw, { classifier }), () => undefined, 'summariseReport');
        checkSummary(s!, classifier.themes.map((t) => t.id));
        expect(s!.text).toBe(fromText(raw).text);
      }),
      { numRuns: 40 },
    );
  });

  it('summariseReports: one summary per input, and the overall table is the sum of the per-report tables', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reportText, { maxLength: 3 }), async (texts) => {
        const { summaries, table } = await summariseReports(texts, { classifier: RULE_CLASSIFIER });
        const themes = RULE_CLASSIFIER.themes.map((t) => t.id);
        expect(summaries).toHaveLength(texts.length);
        for (const s of summaries) checkSummary(s, themes);
        expect(table.reports.map((r) => r.findings)).toEqual(summaries.map((s) => s.findings.length));
        for (const [theme, byPolarity] of Object.entries(table.overall)) {
          for (const p of POLARITIES) expect(byPolarity[p]).toBe(summaries.reduce((n, s) => n + (s.counts[theme]?.[p] ?? 0), 0));
        }
        expect(table.rows).toHaveLength(summaries.reduce((n, s) => n + Object.keys(s.counts).length * POLARITIES.length, 0));
      }),
      { numRuns: 15 },
    );
  });
});

// ---------------------------------------------------------------------------

const countsFor = (themes: readonly string[]) =>
  fc.tuple(...themes.map(() => fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 50 }), fc.nat({ max: 50 }), fc.nat({ max: 50 })))).map((rows) =>
    Object.fromEntries(themes.map((t, i) => [t, { positive: rows[i]![0], negative: rows[i]![1], mixed: rows[i]![2], neutral: rows[i]![3] }])),
  );
const fakeSummary = (themes: readonly string[]) =>
  fc.record({ id: fc.string({ maxLength: 10 }), authority: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), counts: countsFor(themes) }).map(
    ({ id, authority, counts }) =>
      ({ id, meta: authority === undefined ? {} : { authority }, sentences: 0, findings: [], counts, sections: [], judgements: [], notable: {}, text: '' }) as unknown as ReportSummary,
  );

function checkTable(table: ReturnType<typeof aggregateSummaries>, summaries: ReportSummary[], themes: readonly string[]): void {
  const allThemes = new Set([...themes, 'none', ...summaries.flatMap((s) => Object.keys(s.counts))]);
  expect(Object.keys(table.overall).sort()).toEqual([...allThemes].sort());
  for (const theme of allThemes) {
    for (const p of POLARITIES) {
      const v = Object.prototype.hasOwnProperty.call(table.overall, theme) ? table.overall[theme]![p] : undefined;
      expect(v, `overall.${theme}.${p}`).toBe(summaries.reduce((n, s) => n + (Object.prototype.hasOwnProperty.call(s.counts, theme) ? s.counts[theme]![p] : 0), 0));
    }
  }
  expect(table.rows).toHaveLength(summaries.reduce((n, s) => n + Object.keys(s.counts).length * 4, 0));
  for (const r of table.rows) expect(isCount(r.count)).toBe(true);
  expect(table.reports.map((r) => r.id)).toEqual(summaries.map((s) => s.id));
}

describe('aggregation', () => {
  it('aggregateSummaries: overall counts are the sums, one row per report × theme × polarity', () => {
    const themes = [...CORE_THEMES, 'none', 'voice-of-the-child'];
    fc.assert(
      fc.property(fc.array(fakeSummary(themes), { maxLength: 6 }), fc.subarray([...CORE_THEMES]), (summaries, asked) => {
        const table = aggregateSummaries(summaries, asked);
        checkTable(table, summaries, asked);
      }),
      { numRuns: 100 },
    );
  });

  it('aggregateSummaries: a theme called "constructor", "toString", "valueOf" or "hasOwnProperty" is counted like any other and pollutes nothing', () => {
    // Valid theme ids (rules.test.ts shows packs may define them). Passing fewer themes than the summaries carry
    // (e.g. summaries from a classifier with an extra pack) must not lose their counts.
    const odd = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    const polluted = () => POLARITIES.filter((p) => p in Object || p in Object.prototype || p in Function.prototype);
    try {
      fc.assert(
        fc.property(fc.array(fakeSummary(['recording', ...odd]), { minLength: 1, maxLength: 3 }), fc.subarray(odd), (summaries, asked) => {
          const table = aggregateSummaries(summaries, ['recording', ...asked]);
          expect(polluted(), 'aggregateSummaries wrote polarity counts onto a built-in object').toEqual([]);
          checkTable(table, summaries, ['recording', ...asked]);
        }),
        { numRuns: 30 },
      );
    } finally {
      for (const target of [Object, Object.prototype, Function.prototype] as Array<Record<string, unknown>>) for (const p of POLARITIES) delete target[p];
    }
  });

  it('emptyCounts: an own zeroed row for every theme given (whatever its name) plus "none"', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...CORE_THEMES, 'constructor', 'toString', '__proto__'), fc.string({ maxLength: 10 })), { maxLength: 8 }), (themes) => {
        const table = emptyCounts(themes);
        expect(Object.getPrototypeOf(table), `emptyCounts(${preview(themes)}) changed the prototype of its result`).toBe(Object.prototype);
        expect(Object.keys(table).sort()).toEqual([...new Set([...themes, 'none'])].sort());
        for (const row of Object.values(table)) expect(row).toEqual({ positive: 0, negative: 0, mixed: 0, neutral: 0 });
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('grouped folds and cross-validation', () => {
  it('groupedFolds: every index gets an integer fold in [0, k), no group is split, folds are balanced, deterministic', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('bromley', 'bexley', 'lewisham', 'camden', 'hackney', 'barnet'), fc.string({ maxLength: 6 })), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), fc.integer(), (groups, k, seed) => {
        const folds = groupedFolds(groups, k, seed);
        expect(groupedFolds(groups, k, seed)).toEqual(folds);
        expect(folds).toHaveLength(groups.length);
        const foldOf = new Map<string, number>();
        folds.forEach((f, i) => {
          expect(Number.isInteger(f) && f >= 0 && f < k).toBe(true);
          const g = groups[i]!;
          if (foldOf.has(g)) expect(f).toBe(foldOf.get(g));
          foldOf.set(g, f);
        });
        const size = new Map<string, number>();
        for (const g of groups) size.set(g, (size.get(g) ?? 0) + 1);
        const load = new Array<number>(k).fill(0);
        for (const f of folds) load[f]!++;
        if (groups.length > 0) expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(Math.max(...size.values()));
      }),
      { numRuns: 200 },
    );
  });

  it('groupedFolds: a fold count that is not a positive integer (0, -1, 2.5, NaN, Infinity) is a typed error, not folds outside [0, k)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 6 }), fc.constantFrom(0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5), (groups, k) => {
        expectSaneOrTyped(
          () => groupedFolds(groups, k, 1),
          (folds) => {
            for (const f of folds) expect(Number.isInteger(f) && f >= 0 && f < k, `groupedFolds(${preview(groups)}, ${k}) gave fold ${f}`).toBe(true);
          },
          `groupedFolds(…, ${k})`,
        );
      }),
      { numRuns: 30 },
    );
  });

  const labelled: fc.Arbitrary<LabelledSentence> = fc
    .record({
      text: fc.oneof(fc.constantFrom(...FINDINGS, ...NON_FINDINGS), fc.string({ maxLength: 40 })),
      authority: fc.constantFrom('bromley', 'bexley', 'lewisham', 'camden', 'hackney'),
      finding: fc.boolean(),
      polarity: fc.constantFrom(...POLARITIES),
      themes: fc.subarray([...CORE_THEMES]),
      section: fc.option(fc.constantFrom('Strengths', 'Areas for development'), { nil: undefined }),
      kind: fc.option(fc.constantFrom('paragraph', 'list-item'), { nil: undefined }),
    })
    .map((r) => ({
      doc: `${r.authority}-2020-01-01`,
      sentence: 0,
      hash: hashText(r.text),
      text: r.text,
      finding: r.finding,
      themes: r.finding ? [...r.themes].sort() : [],
      polarity: r.finding ? r.polarity : 'neutral',
      sample: 'seed' as const,
      annotator: 'fc',
      authority: r.authority,
      ...(r.section !== undefined ? { section: r.section } : {}),
      ...(r.kind !== undefined ? { kind: r.kind } : {}),
    }));

  it('crossValidate (rules-only stub): a prediction for every sentence, folds from groupedFolds, no authority on both sides of a fold, deterministic', () => {
    fc.assert(
      fc.property(fc.array(labelled, { maxLength: 12 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (sentences, folds, seed) => {
        const trainAuthorities = new Map<number, Set<string>>();
        const sizes: Array<[number, number, number]> = [];
        const run = () =>
          crossValidate(sentences, {
            folds,
            seed,
            makeClassifier: (train, fold) => {
              trainAuthorities.set(fold, new Set(train.map((s) => s.authority)));
              return RULE_CLASSIFIER;
            },
            onFold: (f, tr, te) => sizes.push([f, tr, te]),
          });
        const predictions = run();
        const expectedFolds = groupedFolds(sentences.map((s) => s.authority), folds, seed);
        expect(predictions).toHaveLength(sentences.length);
        predictions.forEach((p, i) => {
          expect(p, `prediction ${i} is missing`).toBeDefined();
          expect(p.fold).toBe(expectedFolds[i]);
          expect(trainAuthorities.get(p.fold)!.has(sentences[i]!.authority)).toBe(false);
          expect(Object.keys(p.themeScores).sort()).toEqual(RULE_CLASSIFIER.themes.map((t) => t.id).sort());
          for (const v of Object.values(p.themeScores)) expect(isProbability(v)).toBe(true);
          expect(POLARITIES).toContain(p.polarity);
          expect(p.themes).toEqual([...p.themes].sort());
        });
        expect(sizes.map(([f]) => f)).toEqual(Array.from({ length: folds }, (_, f) => f));
        for (const [, tr, te] of sizes) expect(tr + te).toBe(sentences.length);
        expect(stable(run())).toBe(stable(predictions));
      }),
      { numRuns: 60 },
    );
  });

  it('crossValidate: a bad fold count (0, -1, 2.5, NaN) is a typed error, never an array with holes', () => {
    fc.assert(
      fc.property(fc.array(labelled, { minLength: 1, maxLength: 5 }), fc.constantFrom(0, -1, 2.5, Number.NaN), (sentences, folds) => {
        expectSaneOrTyped(
          () => crossValidate(sentences, { folds, makeClassifier: () => RULE_CLASSIFIER }),
          (predictions) => {
            expect(predictions).toHaveLength(sentences.length);
            for (let i = 0; i < sentences.length; i++) expect(predictions[i], `crossValidate(…, { folds: ${folds} }) left prediction ${i} undefined`).toBeDefined();
          },
          `crossValidate(…, { folds: ${folds} })`,
        );
      }),
      { numRuns: 20 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('metrics', () => {
  const count = fc.nat({ max: 1000 });

  it('prf: precision, recall and F1 in [0, 1], F1 the harmonic mean, support = tp + fn', () => {
    fc.assert(
      fc.property(count, count, count, (tp, fp, fn) => {
        const r = prf(tp, fp, fn);
        for (const v of [r.precision, r.recall, r.f1]) expect(isProbability(v)).toBe(true);
        expect(r.support).toBe(tp + fn);
        if (r.precision + r.recall > 0) expect(r.f1).toBeCloseTo((2 * r.precision * r.recall) / (r.precision + r.recall), 12);
        expect(r.f1).toBeLessThanOrEqual(Math.max(r.precision, r.recall) + 1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('prf: counts that are negative, fractional or not finite give a typed error or values still in [0, 1]', () => {
    const bad = fc.oneof(fc.integer({ min: -50, max: -1 }), fc.double({ min: 0.1, max: 10, noInteger: true }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(fc.tuple(fc.oneof(count, bad), fc.oneof(count, bad), fc.oneof(count, bad)).filter(([a, b, c]) => ![a, b, c].every((x) => Number.isInteger(x) && x >= 0)), ([tp, fp, fn]) => {
        expectSaneOrTyped(
          () => prf(tp, fp, fn),
          (r) => {
            // NaN in, NaN out is acceptable; a precision of -1 or 2 is not.
            const nanIn = [tp, fp, fn].some((x) => Number.isNaN(x));
            for (const v of [r.precision, r.recall, r.f1]) expect(isProbability(v) || (nanIn && Number.isNaN(v)), `prf(${tp}, ${fp}, ${fn}) = ${preview(r)}`).toBe(true);
          },
          `prf(${tp}, ${fp}, ${fn})`,
        );
      }),
      { numRuns: 100 },
    );
  });

  const boolPairs = fc.array(fc.tuple(fc.boolean(), fc.boolean()), { maxLength: 60 });

  it('binaryPRF counts every pair exactly once (tp + fp + fn + tn = n)', () => {
    fc.assert(
      fc.property(boolPairs, (pairs) => {
        const gold = pairs.map(([g]) => g);
        const pred = pairs.map(([, p]) => p);
        const r = binaryPRF(gold, pred);
        expect(r.tp).toBe(pairs.filter(([g, p]) => g && p).length);
        expect(r.fp).toBe(pairs.filter(([g, p]) => !g && p).length);
        expect(r.fn).toBe(pairs.filter(([g, p]) => g && !p).length);
        for (const v of [r.precision, r.recall, r.f1]) expect(isProbability(v)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  const mismatched = <T>(item: fc.Arbitrary<T>) =>
    fc.tuple(fc.array(item, { maxLength: 10 }), fc.array(item, { maxLength: 10 })).filter(([a, b]) => a.length !== b.length);

  it('binaryPRF, multiLabelPRF, multiClassReport, brierScore and reliabilityCurve: lists of different lengths are a RangeError (as in cohenKappa), not silently truncated', () => {
    fc.assert(
      fc.property(mismatched(fc.boolean()), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }), ([gold, predicted], probs) => {
        const outcomes = gold;
        const calls: Array<[string, () => unknown]> = [
          ['binaryPRF', () => binaryPRF(gold, predicted)],
          ['multiLabelPRF', () => multiLabelPRF(gold.map((g) => (g ? ['a'] : [])), predicted.map((p) => (p ? ['a'] : [])), ['a'])],
          ['multiClassReport', () => multiClassReport(gold.map(String), predicted.map(String), ['true', 'false'])],
        ];
        if (probs.length !== outcomes.length) {
          calls.push(['brierScore', () => brierScore(probs, outcomes)]);
          calls.push(['reliabilityCurve', () => reliabilityCurve(probs, outcomes)]);
        }
        const failures: string[] = [];
        for (const [name, call] of calls) {
          const outcome = attempt(call);
          if (outcome.ok) failures.push(`${name} returned ${preview(outcome.value).slice(0, 60)}`);
          else if (!(outcome.error instanceof RangeError)) failures.push(`${name} threw ${describeError(outcome.error)}`);
        }
        expect(failures, `lists of lengths ${gold.length}/${predicted.length} (probabilities ${probs.length})`).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('multiLabelPRF: per-label counts sum to the micro counts, every score in [0, 1]', () => {
    const labels = ['a', 'b', 'c', 'd'];
    const set = fc.subarray(labels);
    fc.assert(
      fc.property(fc.array(fc.tuple(set, set), { maxLength: 40 }), fc.subarray(labels), (pairs, asked) => {
        const r = multiLabelPRF(pairs.map(([g]) => g), pairs.map(([, p]) => p), asked);
        expect(Object.keys(r.perLabel).sort()).toEqual([...asked].sort());
        const sum = (k: 'tp' | 'fp' | 'fn') => Object.values(r.perLabel).reduce((n, x) => n + x[k], 0);
        expect([r.micro.tp, r.micro.fp, r.micro.fn]).toEqual([sum('tp'), sum('fp'), sum('fn')]);
        for (const x of [...Object.values(r.perLabel), r.micro]) for (const v of [x.precision, x.recall, x.f1]) expect(isProbability(v)).toBe(true);
        expect(isProbability(r.macroF1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('multiClassReport: the confusion matrix holds all n items, its diagonal is the accuracy, scores in [0, 1]', () => {
    const classes = ['positive', 'negative', 'mixed', 'neutral'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...classes), fc.constantFrom(...classes)), { maxLength: 50 }), (pairs) => {
        const r = multiClassReport(pairs.map(([g]) => g), pairs.map(([, p]) => p), classes);
        const cells = classes.flatMap((g) => classes.map((p) => r.confusion[g]![p]!));
        expect(cells.reduce((a, b) => a + b, 0)).toBe(pairs.length);
        const diagonal = classes.reduce((n, c) => n + r.confusion[c]![c]!, 0);
        expect(r.accuracy).toBeCloseTo(pairs.length === 0 ? 0 : diagonal / pairs.length, 12);
        for (const x of Object.values(r.perClass)) for (const v of [x.precision, x.recall, x.f1]) expect(isProbability(v)).toBe(true);
        expect(isProbability(r.macroF1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('multiClassReport: a label outside the class list is a typed error or still counted — never dropped from the confusion matrix', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'x', 'constructor'), fc.constantFrom('a', 'b', 'y', '__proto__')), { minLength: 1, maxLength: 20 }), (pairs) => {
        fc.pre(pairs.some(([g, p]) => !['a', 'b'].includes(g) || !['a', 'b'].includes(p)));
        expectSaneOrTyped(
          () => multiClassReport(pairs.map(([g]) => g), pairs.map(([, p]) => p), ['a', 'b']),
          (r) => {
            const total = Object.values(r.confusion).reduce((n, row) => n + Object.values(row).reduce((a, b) => a + b, 0), 0);
            expect(total, `multiClassReport(${preview(pairs)}) confusion holds ${total} of ${pairs.length} items`).toBe(pairs.length);
          },
          'multiClassReport',
        );
      }),
      { numRuns: 40 },
    );
  });

  const probability = fc.double({ min: 0, max: 1, noNaN: true });

  it('brierScore: in [0, 1] for probabilities in [0, 1], NaN for no items, 0 for perfect predictions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(probability, fc.boolean()), { maxLength: 50 }), (pairs) => {
        const b = brierScore(pairs.map(([p]) => p), pairs.map(([, o]) => o));
        if (pairs.length === 0) expect(b).toBeNaN();
        else expect(isProbability(b)).toBe(true);
        expect(brierScore(pairs.map(([, o]) => (o ? 1 : 0)), pairs.map(([, o]) => o))).toBe(pairs.length === 0 ? Number.NaN : 0);
      }),
      { numRuns: 200 },
    );
  });

  it('brierScore: "probabilities" outside [0, 1] are a typed error, not a Brier score above 1', () => {
    const outside = fc.oneof(fc.double({ min: 2.5, max: 10, noNaN: true }), fc.double({ min: -10, max: -1.5, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(outside, fc.boolean()), { minLength: 1, maxLength: 10 }), (pairs) => {
        expectSaneOrTyped(
          () => brierScore(pairs.map(([p]) => p), pairs.map(([, o]) => o)),
          (b) => expect(isProbability(b), `brierScore(${preview(pairs)}) = ${b}`).toBe(true),
          'brierScore',
        );
      }),
      { numRuns: 30 },
    );
  });

  it('brierScore: a NaN probability gives NaN or a typed error, never a number that hides it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(probability, fc.constant(Number.NaN)), fc.boolean()), { minLength: 1, maxLength: 10 }), (pairs) => {
        fc.pre(pairs.some(([p]) => Number.isNaN(p)));
        expectSaneOrTyped(() => brierScore(pairs.map(([p]) => p), pairs.map(([, o]) => o)), (b) => expect(b).toBeNaN(), 'brierScore');
      }),
      { numRuns: 30 },
    );
  });

  it('reliabilityCurve: `bins` bins tiling [0, 1], counts summing to n, means and observed rates in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(probability, fc.boolean()), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (pairs, bins) => {
        const curve = reliabilityCurve(pairs.map(([p]) => p), pairs.map(([, o]) => o), bins);
        expect(curve).toHaveLength(bins);
        expect(curve.reduce((n, b) => n + b.count, 0)).toBe(pairs.length);
        curve.forEach((b, i) => {
          expect(b.lower).toBeCloseTo(i / bins, 12);
          expect(b.upper).toBeCloseTo((i + 1) / bins, 12);
          expect(isCount(b.count)).toBe(true);
          expect(isProbability(b.meanPredicted) && isProbability(b.observed)).toBe(true);
          if (b.count > 0) {
            expect(b.meanPredicted).toBeGreaterThanOrEqual(b.lower - 1e-12);
            expect(b.meanPredicted).toBeLessThanOrEqual(b.upper + 1e-12);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('reliabilityCurve: NaN probabilities or a bin count that is not a positive integer give a typed error, or bins whose counts sum to n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(probability, fc.constant(Number.NaN), fc.double({ min: -2, max: 3, noNaN: true })), fc.boolean()), { minLength: 1, maxLength: 10 }),
        fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(0, -1, 2.5, Number.NaN)),
        (pairs, bins) => {
          fc.pre(!Number.isInteger(bins) || bins < 1 || pairs.some(([p]) => Number.isNaN(p)));
          expectSaneOrTyped(
            () => reliabilityCurve(pairs.map(([p]) => p), pairs.map(([, o]) => o), bins),
            (curve) => expect(curve.reduce((n, b) => n + b.count, 0), `reliabilityCurve(${preview(pairs)}, ${bins})`).toBe(pairs.length),
            `reliabilityCurve(${preview(pairs)}, ${bins})`,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('spearman: in [-1, 1] or NaN for finite values; 1 against itself and -1 against its reverse when there are no ties', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 40 }), (pairs) => {
        const x = pairs.map(([a]) => a);
        const y = pairs.map(([, b]) => b);
        const r = spearman(x, y);
        if (!Number.isNaN(r)) {
          expect(r).toBeGreaterThanOrEqual(-1);
          expect(r).toBeLessThanOrEqual(1);
        }
        if (x.length < 3) expect(r).toBeNaN();
        if (x.length >= 3 && new Set(x).size === x.length) {
          expect(spearman(x, x)).toBeCloseTo(1, 12);
          expect(spearman(x, x.map((v) => -v))).toBeCloseTo(-1, 12);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('spearman: NaN or infinite values give NaN, a typed error, or a value in [-1, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double(), fc.double()), { minLength: 3, maxLength: 12 }), (pairs) => {
        expectSaneOrTyped(
          () => spearman(pairs.map(([a]) => a), pairs.map(([, b]) => b)),
          (r) => {
            if (!Number.isNaN(r)) expect(r >= -1 && r <= 1, `spearman(${preview(pairs)}) = ${r}`).toBe(true);
          },
          'spearman',
        );
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('huge input finishes in bounded time', () => {
  const report = (bytes: number) => {
    const block = `## Strengths\n\n${FINDINGS.join(' ')}\n\n- ${FINDINGS[1]}\n\n${GRADED.slice(0, 6).join('\n')}\n\n`;
    return block.repeat(Math.ceil(bytes / block.length)).slice(0, bytes);
  };
  const timed = <T>(call: () => T): [T, number] => {
    const t0 = performance.now();
    const value = call();
    return [value, performance.now() - t0];
  };

  it('hashText hashes 16 MB in under 2 s', () => {
    const [h, ms] = timed(() => hashText('x'.repeat(16 * 1024 * 1024)));
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(ms).toBeLessThan(2_000);
  });

  it('parseCsv reads 2 MB of quoted CSV (and an unterminated quote) in under 3 s, without losing rows', () => {
    const row = '"Bromley, London","He said ""good""",2011-05-10,"line\nbreak"\r\n';
    const n = Math.ceil((2 * 1024 * 1024) / row.length);
    const [rows, ms] = timed(() => parseCsv(row.repeat(n)));
    expect(rows).toHaveLength(n);
    expect(rows[0]).toEqual(['Bromley, London', 'He said "good"', '2011-05-10', 'line\nbreak']);
    const [open, ms2] = timed(() => parseCsv('"' + 'a,b\n'.repeat(250_000)));
    expect(open.length).toBeGreaterThan(0);
    expect(ms + ms2).toBeLessThan(3_000);
  });

  it('tokenize and analyseSentence handle 500 KB in one "sentence" in under 5 s', () => {
    const text = report(500_000);
    const [tokens, ms] = timed(() => tokenize(text));
    expect(tokens.length).toBeGreaterThan(50_000);
    const [r, ms2] = timed(() => analyseSentence(RULES, text));
    expect(r.tokens.length).toBe(tokens.length);
    expect(ms + ms2).toBeLessThan(5_000);
  });

  it('extractJudgements and extractFindings (rules only) read a 1 MB report in under 10 s', () => {
    const text = report(1_000_000);
    const [doc, ms0] = timed(() => fromText(text));
    const [js, ms1] = timed(() => extractJudgements(doc));
    checkJudgements(js);
    const [findings, ms2] = timed(() => extractFindings(doc, { classifier: RULE_CLASSIFIER }));
    expect(findings).toHaveLength(doc.sentences.length);
    expect(ms0 + ms1 + ms2).toBeLessThan(10_000);
  });

  it('parseAnnotations reads 20,000 lines in under 3 s', () => {
    const line = JSON.stringify(annotationFor('bromley-2011-05-10', 3, '0123456789abcdef'));
    const [annotations, ms] = timed(() => parseAnnotations(Array.from({ length: 20_000 }, () => line).join('\n'), 'big.jsonl'));
    expect(annotations).toHaveLength(20_000);
    expect(ms).toBeLessThan(3_000);
  });
});

// ---------------------------------------------------------------------------

describe('broken PDFs', () => {
  const base = makeTextPdf([
    [{ text: 'Areas for development', size: 16 }, FINDINGS[4]!, FINDINGS[1]!],
    [{ text: 'Strengths', size: 16 }, FINDINGS[0]!],
  ]);

  it('fromPdf on a text PDF with bytes flipped, cut, or spliced settles quickly: a document that validates, or a coded IngestError', async () => {
    const damaged = fc.oneof(
      fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
        const b = base.slice();
        for (const [at, v] of edits) b[at] = v;
        return b;
      }),
      fc.tuple(fc.nat({ max: base.length }), fc.nat({ max: base.length })).map(([a, b]) => new Uint8Array([...base.subarray(0, Math.min(a, b)), ...base.subarray(Math.max(a, b))])),
      fc.uint8Array({ maxLength: 300 }).map((junk) => new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), ...junk])),
      fc.tuple(fc.nat({ max: base.length }), fc.uint8Array({ minLength: 1, maxLength: 50 })).map(([at, junk]) => new Uint8Array([...base.subarray(0, at), ...junk, ...base.subarray(at)])),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (bytes) => {
        const t0 = performance.now();
        const outcome = await attemptAsync(() => fromPdf(bytes));
        expect(performance.now() - t0).toBeLessThan(10_000);
        if (outcome.ok) {
          const parsed = ReportDocumentSchema.safeParse(outcome.value);
          expect(parsed.success).toBe(true);
          for (const s of outcome.value.sentences) expect(outcome.value.text.slice(s.span.start, s.span.end)).toBe(s.text);
        } else {
          expectTypedError(outcome.error, 'fromPdf(damaged)');
          expect(outcome.error, describeError(outcome.error)).toBeInstanceOf(IngestError);
          expect(['PDF_INVALID', 'PDF_EMPTY', 'PDF_ENCRYPTED']).toContain((outcome.error as IngestError).code);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('summariseReport on damaged PDF bytes: a summary or an IngestError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: base.length }), async (cut) => {
        const outcome = await attemptAsync(() => summariseReport(base.slice(0, cut), { classifier: RULE_CLASSIFIER }));
        if (outcome.ok) checkSummary(outcome.value, RULE_CLASSIFIER.themes.map((t) => t.id));
        else expect(outcome.error, describeError(outcome.error)).toBeInstanceOf(IngestError);
      }),
      { numRuns: 8 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('node entry: corpora on disk', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ofsted-fc-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });
  const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._ -]{0,15}$/).filter((s) => s !== '.' && s !== '..');
  const missingDir = () => fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => join(root, 'does-not-exist', ...parts));

  it('readManifest, listSeeds and loadSeedDocuments on a missing folder throw IngestError CORPUS_MISSING; sharedCorpusMissing says why', () => {
    fc.assert(
      fc.property(missingDir(), (dir) => {
        for (const [name, call] of [
          ['readManifest', () => readManifest(dir)],
          ['listSeeds', () => listSeeds(dir)],
          ['loadSeedDocuments', () => loadSeedDocuments(dir)],
        ] as Array<[string, () => unknown]>) {
          const outcome = attempt(call);
          expect(outcome.ok, `${name}(${dir})`).toBe(false);
          if (!outcome.ok) {
            expect(outcome.error, describeError(outcome.error)).toBeInstanceOf(IngestError);
            expect((outcome.error as IngestError).code).toBe('CORPUS_MISSING');
            expect((outcome.error as Error).message).toContain(dir);
          }
        }
        const why = sharedCorpusMissing(dir);
        expect(typeof why).toBe('string');
        expect(why).toContain('manifest.csv');
      }),
      { numRuns: 25 },
    );
  });

  it('iterateSharedReports on a missing folder rejects with CORPUS_MISSING on the first step', async () => {
    await fc.assert(
      fc.asyncProperty(missingDir(), async (dir) => {
        const outcome = await attemptAsync(() => iterateSharedReports(dir).next());
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect((outcome.error as IngestError).code).toBe('CORPUS_MISSING');
      }),
      { numRuns: 10 },
    );
  });

  it('readAnnotationFiles, readAgreementFiles and loadSharedDocument on a missing folder throw an error that names the path', async () => {
    await fc.assert(
      fc.asyncProperty(missingDir(), async (dir) => {
        for (const [name, call] of [
          ['readAnnotationFiles', async () => readAnnotationFiles(dir)],
          ['readAgreementFiles', async () => readAgreementFiles(dir)],
          ['loadSharedDocument', () => loadSharedDocument(dir, 'bromley-2017-03-24')],
        ] as Array<[string, () => Promise<unknown>]>) {
          const outcome = await attemptAsync(call);
          expect(outcome.ok, name).toBe(false);
          if (!outcome.ok) {
            expect(outcome.error).toBeInstanceOf(Error);
            expect((outcome.error as Error).message, `${name}: ${describeError(outcome.error)}`).toContain(dir);
          }
        }
      }),
      { numRuns: 10 },
    );
  });

  it('readManifest on a folder whose manifest.csv holds arbitrary text: an IngestError or entries that satisfy ManifestEntrySchema', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constant('id,local_authority,published,sha256\nx,Bromley,2011,abc\n')), (csv) => {
        const dir = join(root, `manifest-${n++}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'manifest.csv'), csv);
        expect(sharedCorpusMissing(dir)).toBeUndefined();
        expectSaneOrTyped(
          () => readManifest(dir),
          (entries) => {
            for (const e of entries) expect(ManifestEntrySchema.safeParse(e).success, `readManifest returned ${preview(e)}`).toBe(true);
          },
          `readManifest(manifest.csv = ${preview(csv)})`,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('listSeeds on a folder whose seeds.json is corrupt or not a list of seeds: an IngestError (CORPUS_INVALID), not a SyntaxError or unchecked data', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.constant('[{"id": 42}]'), fc.constant('{"truncated": ')), (json) => {
        const dir = join(root, `seeds-${n++}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'seeds.json'), json);
        expectSaneOrTyped(
          () => listSeeds(dir),
          (seeds) => {
            expect(Array.isArray(seeds), `listSeeds returned ${preview(seeds)} for seeds.json = ${json}`).toBe(true);
            for (const s of seeds) {
              for (const key of ['id', 'file', 'authority', 'date', 'type'] as const) expect(typeof s[key], `listSeeds returned a seed without a string ${key}: ${preview(s)}`).toBe('string');
            }
          },
          `listSeeds(seeds.json = ${json})`,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('packageRoot, seedsDir, sharedCorpusDir and annotationsDir are stable absolute paths', () => {
    for (const f of [packageRoot, seedsDir, sharedCorpusDir, annotationsDir]) {
      const a = f();
      expect(typeof a).toBe('string');
      expect(isAbsolute(a)).toBe(true);
      expect(f()).toBe(a);
    }
  });
});
