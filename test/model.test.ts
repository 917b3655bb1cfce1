/**
 * Model files: the bundled model is valid, small and self-describing; every
 * kind of damaged model file is refused with a ModelError and a specific code
 * (never predictions); training is deterministic. See README "Reliability".
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_RULE_PACKS,
  CORE_THEMES,
  ModelError,
  ModelSchema,
  OfstedFindingsError,
  bundledModel,
  classifyFinding,
  compileRulePacks,
  sentenceFeatures,
  createClassifier,
  decodeWeights,
  encodeWeights,
  hashText,
  loadModel,
  trainModel,
  type LabelledSentence,
  type Model,
  type Polarity,
  type Evidence,
  type CompiledRules,
  type FeatureConfig,
} from '../src/index.js';
import { compileModel, modelChecksum, scoreHeads, sealModel } from '../src/model/model.js';
import { BUNDLED_CHECKSUM_VERIFIED } from '../src/model/bundled-checksum.js';
import { bestPolarityOffsets } from '../src/model/train.js';
import { fromBase64 } from '../src/model/weights.js';
import { toSparse, trainLinear, type SparseRows } from '../src/model/logistic.js';
import { evidencePenalties } from '../src/model/fit.js';
import { featurizeForModel, pushTopContributions, scoreAllHeads, type SparseFeatures } from '../src/model/featurize.js';
import { analyseTokens } from '../src/rules/analyse.js';
import { tokenizeWithLexemes } from '../src/rules/tokens.js';
import type { CompiledModel } from '../src/model/model.js';
import { extractFeatures } from '../src/features/extract.js';
import { analyseSentence, tokenize } from '../src/index.js';
import { loadLabelledCorpus, loadSeedDocuments } from '../src/corpus/files.js';

const MODEL_PATH = fileURLToPath(new URL('../models/ofsted-findings.model.json', import.meta.url));
const MAX_MODEL_BYTES = 2 * 1024 * 1024;

let modelText: string;
let pristine: Model;
/** A deep copy of the bundled model to damage (the bundled object itself is shared and must not be touched). */
const fresh = (): Model => structuredClone(pristine);
/** A head's weights as numbers, changed by `edit`, and stored again in the model's encoding. */
const editWeights = (encoded: string, V: number, edit: (w: number[]) => void): string => {
  const weights = [...decodeWeights(encoded, V)!];
  edit(weights);
  return encodeWeights(weights);
};
/** Re-seal a damaged model so that only the intended damage remains. */
const reseal = (m: Model): Model => ({ ...m, checksum: modelChecksum(m) });

function modelErrorOf(input: unknown): ModelError {
  let error: unknown;
  try {
    loadModel(input, 'test model');
  } catch (e) {
    error = e;
  }
  expect(error, 'loadModel should have thrown').toBeInstanceOf(ModelError);
  expect(error).toBeInstanceOf(OfstedFindingsError);
  expect((error as ModelError).name).toBe('ModelError');
  expect((error as ModelError).message).toMatch(/test model/);
  return error as ModelError;
}

beforeAll(() => {
  modelText = readFileSync(MODEL_PATH, 'utf8');
  pristine = loadModel(modelText);
});

/** Head scores as classify() computes them: one pass over the rows (scoreAllHeads). */
function shippedScores(compiled: CompiledModel, rows: SparseFeatures): number[] {
  const out = new Float64Array(compiled.heads);
  scoreAllHeads(compiled, rows, out);
  return [...out];
}

/** A sentence analysed and featurized as classify() does it: with its lexemes, whose per-word caches it fills. */
function shippedFeatures(compiled: CompiledModel, rules: ReturnType<typeof compileRulePacks>, text: string, section: string | undefined, context: { headingTokens?: ReturnType<typeof tokenize>; kind?: string }) {
  const { tokens, lexemes } = tokenizeWithLexemes(text);
  const analysis = analyseTokens(rules, text, tokens, lexemes, section, context.headingTokens);
  return { analysis, rows: featurizeForModel(compiled, analysis, context, lexemes) };
}

/** The top positive contributions to a head from named features: strongest first, ties by name, bias excluded. */
function namedTopContributions(compiled: CompiledModel, named: Map<string, number>, head: number, limit: number): string[] {
  return [...named]
    .filter(([name]) => compiled.index.has(name) && name !== 'bias')
    .map(([name, value]) => ({ name, weight: compiled.weights[compiled.index.get(name)! * compiled.heads + head]! * value }))
    .filter((c) => c.weight > 0)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map((c) => `model:${c.name}`);
}

describe('the bundled model', () => {
  it('validates, and loadModel of the file on disk gives the same model', () => {
    const m = bundledModel();
    expect(ModelSchema.safeParse(m).success).toBe(true);
    expect(m.checksum).toBe(modelChecksum(m));
    expect(JSON.stringify(pristine)).toBe(JSON.stringify(m));
    expect(bundledModel()).toBe(m); // validated once, then reused
  });

  it('is at most 2 MB on disk', () => {
    const bytes = statSync(MODEL_PATH).size;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(MAX_MODEL_BYTES);
  });

  it('records its feature configuration', () => {
    const { features } = pristine;
    expect(Object.keys(features).sort()).toEqual(['bigrams', 'heading', 'kind', 'negation', 'rules', 'unigrams']);
    for (const v of Object.values(features)) expect(typeof v).toBe('boolean');
  });

  it('records its training fingerprint and corpus size', () => {
    const { training } = pristine;
    expect(training.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(training.sentences).toBeGreaterThan(0);
    expect(training.findings).toBeGreaterThan(0);
    expect(training.findings).toBeLessThanOrEqual(training.sentences);
    expect(training.authorities).toBeGreaterThan(1);
    for (const key of ['minCount', 'l2', 'epochs', 'learningRate', 'innerFolds', 'seed']) expect(training.options).toHaveProperty(key);
  });

  it('was trained against the current built-in rule packs', () => {
    expect(pristine.rules.packs.map((p) => p.id)).toEqual(BUILTIN_RULE_PACKS.map((p) => p.id));
    expect(pristine.rules.packs.map((p) => p.version)).toEqual(BUILTIN_RULE_PACKS.map((p) => p.version));
    expect(pristine.rules.fingerprint).toBe(compileRulePacks([...BUILTIN_RULE_PACKS]).fingerprint);
  });

  it('records its cross-validation metrics', () => {
    const keys = Object.keys(pristine.metrics);
    for (const key of ['cv.folds', 'finding.f1', 'themes.microF1', 'themes.macroF1', 'polarity.accuracy', 'polarity.macroF1', ...CORE_THEMES.map((t) => `themes.${t}.f1`)]) {
      expect(keys, `metrics should include "${key}"`).toContain(key);
    }
    for (const [key, value] of Object.entries(pristine.metrics)) {
      expect(Number.isFinite(value)).toBe(true);
      if (key !== 'cv.folds') {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  });

  it('scores a sentence from weight rows exactly as from named features (every seed sentence, with its heading)', () => {
    // classify() never builds feature names; training does. The two paths must agree to the last bit.
    const compiled = compileModel(bundledModel());
    const rules = compileRulePacks([...BUILTIN_RULE_PACKS]);
    let sentences = 0;
    let withBigrams = 0;
    for (const doc of loadSeedDocuments()) {
      for (const s of doc.sentences) {
        const headingTokens = s.section === undefined ? undefined : tokenize(s.section);
        const context = { ...(headingTokens ? { headingTokens } : {}), kind: s.kind };
        const { analysis, rows } = shippedFeatures(compiled, rules, s.text, s.section, context);
        // The named features as the trainer extracts them (sentenceFeatures calls the trainer's own function).
        const named = sentenceFeatures(s.text, { ...(s.section !== undefined ? { section: s.section } : {}), kind: s.kind, features: compiled.model.features });
        expect([...named]).toEqual([...extractFeatures(analysis, compiled.model.features, context)]);
        expect(rows.rows.map((r) => compiled.model.vocabulary[r])).toEqual([...named.keys()].filter((name) => compiled.index.has(name)));
        expect(shippedScores(compiled, rows)).toEqual([...scoreHeads(compiled, named)]);
        // Evidence reads the products scoreAllHeads kept: the same features as from the named ones.
        for (let head = 0; head < compiled.heads; head++) {
          const evidence: Evidence[] = [];
          pushTopContributions(compiled, rows, head, 3, 'x', evidence);
          expect(evidence.map((e) => e.source)).toEqual(namedTopContributions(compiled, named, head, 3));
        }
        sentences++;
        if (rows.rows.some((r) => compiled.model.vocabulary[r]!.startsWith('b:'))) withBigrams++;
      }
    }
    expect(sentences).toBeGreaterThan(800);
    expect(withBigrams).toBeGreaterThan(sentences / 2);
  });

  it('walks the same features as the named path for every feature configuration a model can record', () => {
    const rules = compileRulePacks([...BUILTIN_RULE_PACKS]);
    const flags = ['unigrams', 'bigrams', 'negation', 'rules', 'heading', 'kind'] as const;
    const sentences = loadSeedDocuments().flatMap((d) => d.sentences).slice(0, 300);
    // One model knowing every kind of feature, told in turn that one kind is off: its rows
    // for that kind exist, and only the configuration keeps them out of a sentence.
    const full = trainModel(sample(), { minCount: 1, epochs: 20 });
    for (const off of flags) {
      const { checksum: _, ...body } = { ...full, features: { ...full.features, [off]: false } };
      const compiled = compileModel(loadModel(JSON.stringify({ ...body, checksum: modelChecksum(body) })));
      expect(compiled.model.features[off]).toBe(false);
      for (const s of sentences) {
        const headingTokens = s.section === undefined ? undefined : tokenize(s.section);
        const context = { ...(headingTokens ? { headingTokens } : {}), kind: s.kind };
        const { analysis, rows } = shippedFeatures(compiled, rules, s.text, s.section, context);
        const named = extractFeatures(analysis, compiled.model.features, context);
        expect(rows.rows.map((r) => compiled.model.vocabulary[r]), `${off} off: ${s.text}`).toEqual([...named.keys()].filter((name) => compiled.index.has(name)));
        expect(shippedScores(compiled, rows)).toEqual([...scoreHeads(compiled, named)]);
      }
    }
  });

  it('has one weight per vocabulary entry in every head', () => {
    const V = pristine.vocabulary.length;
    expect(V).toBeGreaterThan(0);
    expect(new Set(pristine.vocabulary).size).toBe(V);
    expect(decodeWeights(pristine.finding.weights, V)).toHaveLength(V);
    expect(pristine.themes.map((t) => t.name)).toEqual([...CORE_THEMES]);
    for (const t of pristine.themes) expect(decodeWeights(t.weights, V)).toHaveLength(V);
    for (const w of pristine.polarity.weights) expect(decodeWeights(w, V)).toHaveLength(V);
    // one weight more or fewer is not a decoding of V weights
    expect(decodeWeights(pristine.finding.weights, V - 1)).toBeUndefined();
    expect(decodeWeights(pristine.finding.weights, V + 1)).toBeUndefined();
  });
});

describe('damaged model files give a ModelError with a specific code', () => {
  it('invalid JSON text → MODEL_CORRUPT', () => {
    for (const text of ['', '{', '{not json', 'null,', modelText.replace('{', '{,'), '\u0000\u0000', 'PK\u0003\u0004 zip bytes']) {
      expect(modelErrorOf(text).code).toBe('MODEL_CORRUPT');
    }
  });

  it('truncated text (half the file, or one character short) → MODEL_CORRUPT', () => {
    expect(modelErrorOf(modelText.slice(0, Math.floor(modelText.length / 2))).code).toBe('MODEL_CORRUPT');
    expect(modelErrorOf(modelText.slice(0, modelText.length - 1)).code).toBe('MODEL_CORRUPT');
    expect(modelErrorOf(modelText.slice(0, 100)).code).toBe('MODEL_CORRUPT');
  });

  it('wrong format → MODEL_FORMAT', () => {
    expect(modelErrorOf({ ...fresh(), format: 'some-other-model' }).code).toBe('MODEL_FORMAT');
    expect(modelErrorOf(JSON.stringify({ ...fresh(), format: 'some-other-model' })).code).toBe('MODEL_FORMAT');
    const { format: _format, ...noFormat } = fresh();
    expect(modelErrorOf(noFormat).code).toBe('MODEL_FORMAT');
    for (const other of [null, undefined, 42, true, [], '[]', '42', '"a string"', 'null', '{"id":"core-themes","version":"1.0.0","description":"a rule pack"}']) {
      expect(modelErrorOf(other).code).toBe('MODEL_FORMAT');
    }
  });

  it('version 999 (or any other version) → MODEL_VERSION', () => {
    expect(modelErrorOf({ ...fresh(), version: 999 }).code).toBe('MODEL_VERSION');
    expect(modelErrorOf(reseal({ ...fresh(), version: 999 as 3 })).code).toBe('MODEL_VERSION');
    expect(modelText).toContain('"version":3,');
    expect(modelErrorOf(modelText.replace('"version":3,', '"version":999,')).code).toBe('MODEL_VERSION');
    for (const version of [0, 1, 2, 4, '3', 1.5, null]) expect(modelErrorOf({ ...fresh(), version }).code).toBe('MODEL_VERSION');
    const { version: _version, ...noVersion } = fresh();
    expect(modelErrorOf(noVersion).code).toBe('MODEL_VERSION');
  });

  it('one modified weight → MODEL_CHECKSUM', () => {
    const V = pristine.vocabulary.length;
    const m = fresh();
    m.finding.weights = editWeights(m.finding.weights, V, (w) => {
      const i = w.findIndex((x) => x !== 0);
      w[i] = w[i]! + 1;
    });
    expect(m.finding.weights).not.toBe(pristine.finding.weights);
    expect(modelErrorOf(m).code).toBe('MODEL_CHECKSUM');
    expect(modelErrorOf(JSON.stringify(m)).code).toBe('MODEL_CHECKSUM');

    const p = fresh();
    p.polarity.weights[2] = editWeights(p.polarity.weights[2]!, V, (w) => {
      w[w.length - 1] = 0.1234;
    });
    expect(modelErrorOf(p).code).toBe('MODEL_CHECKSUM');

    const t = fresh();
    (t.themes[1]! as { threshold: number }).threshold = t.themes[1]!.threshold === 0.5 ? 0.4 : 0.5;
    expect(modelErrorOf(t).code).toBe('MODEL_CHECKSUM');
  });

  it('one changed number in the file text → MODEL_CHECKSUM', () => {
    const match = /"temperature":([0-9.]+)/.exec(modelText)!;
    expect(match).not.toBeNull();
    const changed = modelText.replace(match[0], `"temperature":${Number(match[1]) + 0.5}`);
    expect(changed).not.toBe(modelText);
    expect(modelErrorOf(changed).code).toBe('MODEL_CHECKSUM');
  });

  it('a modified or missing checksum → MODEL_CHECKSUM or MODEL_INVALID', () => {
    expect(modelErrorOf({ ...fresh(), checksum: '0000000000000000' }).code).toBe('MODEL_CHECKSUM');
    expect(modelErrorOf({ ...fresh(), checksum: 'not a checksum' }).code).toBe('MODEL_INVALID');
    const { checksum: _checksum, ...noChecksum } = fresh();
    expect(modelErrorOf(noChecksum).code).toBe('MODEL_INVALID');
  });

  it('only a build-verified bundled model skips the checksum; from the source tree it is checked in full', () => {
    // The build replaces bundled-checksum.ts with `true` after checking the file (tsup.config.ts).
    expect(BUNDLED_CHECKSUM_VERIFIED).toBe(false);
    const tampered = { ...fresh(), checksum: '0000000000000000' };
    expect(() => sealModel(structuredClone(tampered), 'bundled', BUNDLED_CHECKSUM_VERIFIED)).toThrow(/checksum/);
    expect(sealModel(structuredClone(tampered), 'bundled', true).checksum).toBe('0000000000000000');
    // The schema, version and weight structure are still checked (the scan for non-base64 characters is skipped too).
    const invalid = { ...fresh(), checksum: '0000000000000000', finding: { ...fresh().finding, threshold: 'high' } };
    expect(() => sealModel(invalid, 'bundled', true)).toThrow(ModelError);
  });

  it('a removed field → MODEL_INVALID or MODEL_CHECKSUM', () => {
    const fields = Object.keys(pristine).filter((k) => k !== 'format' && k !== 'version');
    expect(fields.length).toBeGreaterThan(5);
    for (const field of fields) {
      const m = fresh() as unknown as Record<string, unknown>;
      delete m[field];
      expect(['MODEL_INVALID', 'MODEL_CHECKSUM'], `removing "${field}"`).toContain(modelErrorOf(m).code);
      // even with the checksum recomputed, a missing field is invalid
      if (field !== 'checksum') expect(modelErrorOf({ ...m, checksum: modelChecksum(m as never) }).code, `removing "${field}" (resealed)`).toBe('MODEL_INVALID');
    }
    const nested = fresh() as unknown as { finding: Record<string, unknown>; training: Record<string, unknown> };
    delete nested.finding.calibration;
    expect(['MODEL_INVALID', 'MODEL_CHECKSUM']).toContain(modelErrorOf(nested).code);
  });

  it('an unknown extra field, or weights that are not the encoding, checksum recomputed → MODEL_INVALID', () => {
    expect(modelErrorOf(reseal({ ...fresh(), extra: 1 } as Model)).code).toBe('MODEL_INVALID');
    const text = pristine.finding.weights;
    const damaged = [
      `!${text.slice(1)}`, // not a base64 character
      text.slice(0, -4), // the last weights cut off
      `${text}AAAA`, // three weights too many
      text.slice(0, -1), // not a whole number of base64 groups
      '',
    ];
    for (const weights of damaged) {
      expect(weights).not.toBe(text);
      expect(modelErrorOf(reseal({ ...fresh(), finding: { ...fresh().finding, weights } })).code, JSON.stringify(weights.slice(0, 12))).toBe('MODEL_INVALID');
    }
    for (const weights of [42, [0.1, 0.2], null]) {
      expect(modelErrorOf(reseal({ ...fresh(), finding: { ...fresh().finding, weights: weights as never } })).code).toBe('MODEL_INVALID');
    }
  });

  it('the weight codec stores every 4-decimal weight exactly, and refuses what it cannot store', () => {
    const weights = [0, -0, 0.0001, -0.0001, 0.1958, -3.1022, 1, -1, 63.9999, 12345.6789, -214747.3647, 214747.3647];
    expect([...decodeWeights(encodeWeights(weights), weights.length)!]).toEqual(weights.map((w) => (w === 0 ? 0 : w)));
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1e9]) expect(() => encodeWeights([bad])).toThrow(RangeError);
    // Node's native base64 decoder and the pure-JS one (used in browsers) agree, and the JS one rejects what Node would silently skip.
    const bytes = new Uint8Array(5000).map((_, i) => (i * 7919) % 256);
    for (const n of [0, 1, 2, 3, 4, 5, 4999, 5000]) {
      const text = Buffer.from(bytes.subarray(0, n)).toString('base64');
      const out = new Uint8Array(n + 3);
      expect(fromBase64(text, out)).toBe(n);
      expect([...out.subarray(0, n)]).toEqual([...bytes.subarray(0, n)]);
    }
    for (const bad of ['A', 'AB=C', 'A===', 'ab c', 'AAAA\n', 'ΩéAA']) expect(fromBase64(bad, new Uint8Array(8))).toBe(-1);
    // The JS decoder gives exactly Node's bytes on arbitrary base64.
    for (let n = 0; n < 300; n += 7) {
      const text = Buffer.from(bytes.subarray(n, n * 3)).toString('base64');
      const out = new Uint8Array(text.length);
      const length = fromBase64(text, out);
      expect([...out.subarray(0, length)]).toEqual([...Buffer.from(text, 'base64')]);
    }
    // One text per weight list: unfinished, over-long and out-of-range varints are refused.
    const b64 = (...b: number[]) => Buffer.from(b).toString('base64');
    expect(decodeWeights(b64(0x80), 0)).toBeUndefined(); // "more follows", then nothing
    expect(decodeWeights(b64(0x80), 1)).toBeUndefined();
    expect(decodeWeights(b64(0x80, 0x00), 1)).toBeUndefined(); // 0 written in two bytes
    expect(decodeWeights(b64(0x80, 0x80, 0x80, 0x80, 0x80, 0x01), 1)).toBeUndefined(); // six bytes
    expect(decodeWeights(b64(0xff, 0xff, 0xff, 0xff, 0x0f), 1)).toBeUndefined(); // 2^32 - 1: beyond MAX_WEIGHT
    expect([...decodeWeights(b64(0x02), 1)!]).toEqual([0.0001]);
    expect(decodeWeights(b64(0x02), -1)).toBeUndefined();
    expect(decodeWeights(b64(0x02), 1.5)).toBeUndefined();
  });

  it('a small file that asks for a huge weight matrix is refused before anything is allocated', () => {
    // 64 themes with empty weights and a long vocabulary: V × heads floats would be over 50 MB.
    const big = fresh();
    const V = 200_000;
    const vocabulary = Array.from({ length: V }, (_, i) => `u:w${i}`);
    const themes = Array.from({ length: 64 }, (_, i) => ({ ...big.themes[0]!, name: `t${i}`, weights: '' }));
    const before = process.memoryUsage().arrayBuffers;
    expect(modelErrorOf(reseal({ ...big, vocabulary, themes })).code).toBe('MODEL_INVALID');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10 * 1024 * 1024);
    // More than 64 themes is refused by the schema.
    expect(modelErrorOf(reseal({ ...big, themes: Array.from({ length: 65 }, () => big.themes[0]!) })).code).toBe('MODEL_INVALID');
  });

  it("a loaded model never shares the caller's vocabulary array", () => {
    const input = fresh();
    const model = loadModel(input);
    expect(model.vocabulary).toEqual(input.vocabulary);
    expect(model.vocabulary).not.toBe(input.vocabulary);
  });

  it('a weights array of the wrong length, checksum recomputed → MODEL_INVALID', () => {
    const V = pristine.vocabulary.length;
    const short = fresh();
    short.finding.weights = editWeights(short.finding.weights, V, (w) => w.pop());
    expect(modelErrorOf(reseal(short)).code).toBe('MODEL_INVALID');

    const long = fresh();
    long.themes[3]!.weights = editWeights(long.themes[3]!.weights, V, (w) => w.push(0.5));
    expect(modelErrorOf(reseal(long)).code).toBe('MODEL_INVALID');

    const polarity = fresh();
    polarity.polarity.weights[1] = encodeWeights([...decodeWeights(polarity.polarity.weights[1]!, V)!].slice(0, 10));
    expect(modelErrorOf(reseal(polarity)).code).toBe('MODEL_INVALID');
    expect(modelErrorOf(JSON.stringify(reseal(polarity))).code).toBe('MODEL_INVALID');

    const vocabulary = fresh();
    vocabulary.vocabulary.push('u:zzzz-extra');
    expect(modelErrorOf(reseal(vocabulary)).code).toBe('MODEL_INVALID');
  });

  it('a resealed but otherwise untouched model loads (the damage above is what is refused)', () => {
    const m = reseal(fresh());
    expect(m.checksum).toBe(pristine.checksum);
    expect(() => loadModel(m)).not.toThrow();
    expect(() => loadModel(JSON.stringify(m))).not.toThrow();
  });

  it('freezing a damaged model does not get it past validation', () => {
    const damaged = Object.freeze({ ...fresh(), polarity: Object.freeze({ ...fresh().polarity, temperature: 7 }) });
    expect(() => createClassifier({ model: damaged as Model })).toThrow(expect.objectContaining({ code: 'MODEL_CHECKSUM' }));
    // A model that did pass validation is shared as it is, not copied again.
    const sealed = createClassifier().model!;
    expect(createClassifier({ model: sealed }).model).toBe(sealed);
  });

  it('a classifier is never built from a corrupted file: loadModel throws first', () => {
    const corrupt = [
      modelText.slice(0, Math.floor(modelText.length / 2)),
      '{not json',
      JSON.stringify({ ...fresh(), version: 999 }),
      JSON.stringify({ ...fresh(), format: 'x' }),
      modelText.replace(/"temperature":([0-9.]+)/, (_, t: string) => `"temperature":${Number(t) + 0.5}`),
      JSON.stringify(reseal({ ...fresh(), finding: { ...fresh().finding, weights: encodeWeights([1, 2, 3]) } })),
    ];
    for (const text of corrupt) {
      let classifier: unknown;
      let error: unknown;
      try {
        classifier = createClassifier({ model: loadModel(text) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ModelError);
      expect(classifier).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------
// Training determinism on a small hand-labelled sample (6 authorities × 10 sentences).

type Row = [authority: string, text: string, finding: boolean, themes: Array<(typeof CORE_THEMES)[number]>, polarity: Polarity, section?: string];

const ROWS: Row[] = [
  ['bromley', 'Management oversight is not always evident on case records.', true, ['recording', 'supervision'], 'negative', 'Areas for development'],
  ['bromley', 'Social workers visit children regularly and know them well.', true, [], 'positive', 'Strengths'],
  ['bromley', 'Supervision is regular but is not reflective, and actions are not followed up.', true, ['supervision'], 'mixed', 'Areas for development'],
  ['bromley', 'This inspection was carried out under section 136 of the Education and Inspections Act 2006.', false, [], 'neutral'],
  ['bromley', 'Thresholds for intervention are not consistently understood by partner agencies.', true, ['multi-agency', 'thresholds'], 'negative', 'Areas for development'],
  ['bromley', 'High caseloads in the assessment teams limit the time social workers have with families.', true, ['workforce'], 'negative', 'Areas for development'],
  ['bromley', 'The local authority has a stable and experienced workforce.', true, ['workforce'], 'positive', 'Strengths'],
  ['bromley', 'Inspectors looked at 60 case files during the visit.', false, [], 'neutral'],
  ['bromley', 'Case records are up to date and clearly written.', true, ['recording'], 'positive', 'Strengths'],
  ['bromley', 'Strategy discussions are timely and well attended by police and health partners.', true, ['multi-agency'], 'positive', 'Strengths'],

  ['leeds', 'Managers provide regular and reflective supervision that helps social workers to improve their practice.', true, ['supervision'], 'positive', 'Strengths'],
  ['leeds', 'The front door applies thresholds appropriately, and decisions are timely.', true, ['thresholds'], 'positive', 'Strengths'],
  ['leeds', 'Chronologies are not always completed, so the history of concerns is not clear.', true, ['recording'], 'negative', 'Areas for development'],
  ['leeds', 'Partner agencies share information promptly through the multi-agency safeguarding hub.', true, ['multi-agency'], 'positive', 'Strengths'],
  ['leeds', 'A reliance on agency staff means that some children experience frequent changes of social worker.', true, ['workforce'], 'negative', 'Areas for development'],
  ['leeds', 'The lead inspector was accompanied by three other inspectors.', false, [], 'neutral'],
  ['leeds', 'Contents', false, [], 'neutral'],
  ['leeds', 'Children are seen alone and their views are recorded.', true, ['recording'], 'positive', 'Strengths'],
  ['leeds', 'Workers are positive about their training, although caseloads remain high in some teams.', true, ['workforce'], 'mixed', 'Summary of findings'],
  ['leeds', 'Management decisions are not always recorded on the child’s file.', true, ['recording', 'supervision'], 'negative', 'Areas for development'],

  ['cornwall', 'Child protection plans do not always include measurable timescales for agreed actions.', true, [], 'negative', 'What needs to improve'],
  ['cornwall', 'Supervision records are brief and do not show how decisions were reached.', true, ['recording', 'supervision'], 'negative', 'What needs to improve'],
  ['cornwall', 'Health partners do not consistently attend strategy meetings.', true, ['multi-agency'], 'negative', 'What needs to improve'],
  ['cornwall', 'Senior leaders have an accurate understanding of the strengths and weaknesses of the service.', true, [], 'positive', 'Summary of findings'],
  ['cornwall', 'Staff turnover is low and morale is high.', true, ['workforce'], 'positive', 'Summary of findings'],
  ['cornwall', 'The report is published on the Ofsted website.', false, [], 'neutral'],
  ['cornwall', 'Step-down decisions are made appropriately when risks reduce.', true, ['thresholds'], 'positive', 'Summary of findings'],
  ['cornwall', 'Some referrals that do not meet the threshold for social care are passed back to schools without advice.', true, ['thresholds'], 'negative', 'What needs to improve'],
  ['cornwall', 'Ofsted inspected the local authority between 3 and 14 June.', false, [], 'neutral'],
  ['cornwall', 'Managers check case files regularly, but their oversight does not always lead to action.', true, ['supervision'], 'mixed', 'What needs to improve'],

  ['norfolk', 'Social workers have manageable caseloads and access to good training.', true, ['workforce'], 'positive', 'Strengths'],
  ['norfolk', 'Assessments are thorough and recorded in a timely way.', true, ['recording'], 'positive', 'Strengths'],
  ['norfolk', 'Team managers do not routinely review the work of newly qualified social workers.', true, ['supervision', 'workforce'], 'negative', 'Areas for development'],
  ['norfolk', 'Thresholds are well understood by partners, who make appropriate referrals.', true, ['multi-agency', 'thresholds'], 'positive', 'Strengths'],
  ['norfolk', 'Information sharing between the police and children’s social care is delayed.', true, ['multi-agency'], 'negative', 'Areas for development'],
  ['norfolk', 'This letter sets out the findings of the monitoring visit.', false, [], 'neutral'],
  ['norfolk', 'Inspectors spoke to children, parents and carers.', false, [], 'neutral'],
  ['norfolk', 'Case notes are detailed, but plans are not updated after reviews.', true, ['recording'], 'mixed', 'Areas for development'],
  ['norfolk', 'Return home interviews are not offered to all children who go missing.', true, [], 'negative', 'Areas for development'],
  ['norfolk', 'Supervision is frequent and challenges drift in children’s plans.', true, ['supervision'], 'positive', 'Strengths'],

  ['sheffield', 'Managers have oversight of all contacts and make timely decisions.', true, ['supervision'], 'positive', 'Strengths'],
  ['sheffield', 'Too many cases are stepped up to social care when the threshold is not met.', true, ['thresholds'], 'negative', 'Areas for development'],
  ['sheffield', 'Recording is poor and it is difficult to see the child’s journey on the file.', true, ['recording'], 'negative', 'Areas for development'],
  ['sheffield', 'Recruitment and retention of permanent social workers remain a challenge.', true, ['workforce'], 'negative', 'Areas for development'],
  ['sheffield', 'Schools and health visitors contribute well to child protection conferences.', true, ['multi-agency'], 'positive', 'Strengths'],
  ['sheffield', 'Judgement: requires improvement to be good.', false, [], 'neutral'],
  ['sheffield', 'The inspection took place over two weeks.', false, [], 'neutral'],
  ['sheffield', 'Care leavers told inspectors that their personal advisers are always there for them.', true, [], 'positive', 'Strengths'],
  ['sheffield', 'Supervision takes place, but it is not always recorded on the child’s file.', true, ['recording', 'supervision'], 'mixed', 'Areas for development'],
  ['sheffield', 'Agency and partner attendance at core groups is inconsistent.', true, ['multi-agency'], 'negative', 'Areas for development'],

  ['hampshire', 'Social workers receive regular supervision and feel well supported by managers.', true, ['supervision', 'workforce'], 'positive', 'Strengths'],
  ['hampshire', 'The multi-agency safeguarding hub applies thresholds consistently.', true, ['multi-agency', 'thresholds'], 'positive', 'Strengths'],
  ['hampshire', 'Records do not always show the rationale for closing cases.', true, ['recording'], 'negative', 'Areas for development'],
  ['hampshire', 'Workloads are high in some teams, and this affects the timeliness of visits.', true, ['workforce'], 'negative', 'Areas for development'],
  ['hampshire', 'Children’s plans are clear, and progress is recorded at every review.', true, ['recording'], 'positive', 'Strengths'],
  ['hampshire', 'The local authority was previously inspected in 2014.', false, [], 'neutral'],
  ['hampshire', 'Inspectors met with the director of children’s services.', false, [], 'neutral'],
  ['hampshire', 'Decisions at the front door are timely, but thresholds are sometimes applied too high.', true, ['thresholds'], 'mixed', 'Areas for development'],
  ['hampshire', 'Police and health share information well at strategy discussions.', true, ['multi-agency'], 'positive', 'Strengths'],
  ['hampshire', 'Managers do not always challenge poor practice.', true, ['supervision'], 'negative', 'Areas for development'],
];

function sample(): LabelledSentence[] {
  return ROWS.map(([authority, text, finding, themes, polarity, section], i) => ({
    doc: `${authority}-2019-01-01`,
    sentence: i,
    hash: hashText(text),
    text,
    finding,
    themes: [...themes].sort(),
    polarity,
    ...(section !== undefined ? { section } : {}),
    kind: 'paragraph',
    sample: 'seed' as const,
    annotator: 'test',
    authority,
  }));
}

describe('polarity decision offsets', () => {
  it('the bundled model records four, the first fixed at 0', () => {
    const { offsets } = pristine.polarity;
    expect(offsets).toHaveLength(4);
    expect(offsets[0]).toBe(0);
    for (const o of offsets) expect(Number.isFinite(o)).toBe(true);
  });

  it('are the smallest shift that makes an under-predicted class win where it should', () => {
    // 60 positive findings and 40 neutral ones; the model leans positive on all of them,
    // but less on the neutral ones. Without offsets every finding reads positive.
    const logits = [...Array.from({ length: 60 }, () => [0, -3, -3, -0.6]), ...Array.from({ length: 40 }, () => [0, -3, -3, -0.2])];
    const gold = [...Array<number>(60).fill(0), ...Array<number>(40).fill(3)];
    const offsets = bestPolarityOffsets(logits, logits.map(() => true), gold);
    expect(offsets[0]).toBe(0);
    expect(offsets[3]).toBeGreaterThan(0.2);
    expect(offsets[3]).toBeLessThanOrEqual(0.6);
    expect(offsets[1]).toBe(0);
    expect(offsets[2]).toBe(0);
  });

  it('leave a model that is already right alone', () => {
    const logits = [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 2]];
    expect(bestPolarityOffsets(logits, [true, true, true, true], [0, 1, 2, 3])).toEqual([0, 0, 0, 0]);
  });
});

/** Mean log-loss plus the L2 term: what trainLinear minimises (binary heads). */
function binaryObjective(X: SparseRows, y: Float64Array, w: Float64Array, l2: number): number {
  let loss = 0;
  for (let r = 0; r < X.rows; r++) {
    let z = 0;
    for (let j = X.offsets[r]!; j < X.offsets[r + 1]!; j++) z += w[X.columns[j]!]! * X.values[j]!;
    loss += Math.max(z, 0) - z * y[r]! + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return loss / X.rows + 0.5 * l2 * w.reduce((a, v) => a + v * v, 0);
}

describe('the trainer', () => {
  // Rows like a corpus's: a bias, a common word, and rare words (a few rows each) that decide
  // their rows' labels. Plain gradient descent moves rare weights N/count times slower.
  const N = 3000;
  const rows: Array<Array<[number, number]>> = [];
  const labels = new Float64Array(N);
  for (let r = 0; r < N; r++) {
    const row: Array<[number, number]> = [[0, 1]];
    if (r % 2 === 0) row.push([1, 1]);
    labels[r] = r % 2 === 0 ? (r % 10 === 0 ? 0 : 1) : r % 10 === 1 ? 1 : 0;
    if (r < 200) {
      row.push([2 + (r % 40), 1]); // 40 rare words, 5 rows each
      labels[r] = r % 40 < 20 ? 1 : 0;
    }
    rows.push(row);
  }
  const X = toSparse(rows, 42);
  const l2 = 3e-4;

  it('reaches, within its epoch budget, the optimum a run ten times longer reaches', () => {
    const [w160] = trainLinear(X, [labels], 'binary', { l2, epochs: 160, learningRate: 0.5 });
    const [w1600] = trainLinear(X, [labels], 'binary', { l2, epochs: 1600, learningRate: 0.5 });
    const gap = binaryObjective(X, labels, w160!, l2) - binaryObjective(X, labels, w1600!, l2);
    expect(gap).toBeGreaterThanOrEqual(-1e-9);
    expect(gap).toBeLessThan(1e-4);
    // a decisive rare word's weight is close to its optimum, not a fraction of it
    expect(w160![2]!).toBeGreaterThan(0.95 * w1600![2]!);
  });

  it('a per-column penalty multiplier shrinks that column alone, and all-ones is plain L2 bit for bit', () => {
    const [plain] = trainLinear(X, [labels], 'binary', { l2, epochs: 160, learningRate: 0.5 });
    const ones = new Float64Array(42).fill(1);
    const [same] = trainLinear(X, [labels], 'binary', { l2, epochs: 160, learningRate: 0.5, l2Scale: ones });
    expect(Array.from(same!)).toEqual(Array.from(plain!));
    const heavy = ones.slice();
    heavy[2] = 100;
    const [shrunk] = trainLinear(X, [labels], 'binary', { l2, epochs: 160, learningRate: 0.5, l2Scale: heavy });
    expect(Math.abs(shrunk![2]!)).toBeLessThan(0.5 * Math.abs(plain![2]!));
    expect(Math.abs(shrunk![3]! - plain![3]!)).toBeLessThan(0.05 * Math.abs(plain![3]!));
    expect(() => trainLinear(X, [labels], 'binary', { l2, epochs: 1, learningRate: 0.5, l2Scale: new Float64Array(3) })).toThrow(RangeError);
  });

  it('binary heads trained together equal each head trained alone, bit for bit, for any number of heads', () => {
    // Heads go four at a time, then one by one: 2 to 9 heads cover one and two blocks of four, with and
    // without a remainder. Softmax shares these passes over the rows (only the link function differs).
    const heads = Array.from({ length: 9 }, (_, k) => labels.map((y, r) => ((r + k) % (k + 2) === 0 ? 1 - y : y)));
    const alone = heads.map((y) => trainLinear(X, [y], 'binary', { l2, epochs: 40, learningRate: 0.5 })[0]!);
    for (let K = 2; K <= 9; K++) {
      const together = trainLinear(X, heads.slice(0, K), 'binary', { l2, epochs: 40, learningRate: 0.5 });
      together.forEach((w, k) => expect(Array.from(w)).toEqual(Array.from(alone[k]!)));
    }
  });
});

describe('the evidence-weighted prior of theme heads', () => {
  // Column 0: every row (no evidence); 1: positives only; 2: negatives only; 3: half of each.
  const rows: Array<Array<[number, number]>> = [];
  const target = new Float64Array(400);
  for (let r = 0; r < 400; r++) {
    const positive = r < 100;
    target[r] = positive ? 1 : 0;
    rows.push([[0, 1], ...(positive && r % 2 === 0 ? [[1, 1] as [number, number]] : []), ...(!positive && r % 3 === 0 ? [[2, 1] as [number, number]] : []), ...(r % 2 === 1 ? [[3, 1] as [number, number]] : [])]);
  }
  const X = toSparse(rows, 4);

  it('penalises a feature less the more it tells the classes apart, and not at all differently at β = 0', () => {
    const plain = evidencePenalties(X, [target], 0);
    expect(Array.from(plain)).toEqual([1, 1, 1, 1]);
    const half = evidencePenalties(X, [target], 0.5);
    // No evidence (r = 0): 1 / (1 − β). Strong evidence either way: well under 1.
    expect(half[0]).toBeCloseTo(2, 10);
    expect(half[3]).toBeGreaterThan(1.9);
    expect(half[1]).toBeLessThan(0.5);
    expect(half[2]).toBeLessThan(0.5);
    // β = 1 stays bounded where r = 0.
    expect(evidencePenalties(X, [target], 1)[0]).toBe(100);
  });

  it('never gives the intercept a prior: its multiplier stays 1', () => {
    for (const beta of [0.5, 1]) expect(evidencePenalties(X, [target], beta, 0)[0]).toBe(1);
    expect(evidencePenalties(X, [target], 0.5, 0)[3]).toBeGreaterThan(1.9);
  });

  it('each theme head of a model trained with candidates [0, 0.5] is the head trained with its chosen prior alone', async () => {
    const seeds = await loadLabelledCorpus({ shared: false });
    const options = { epochs: 12, innerFolds: 3 };
    const both = trainModel(seeds, options);
    const alone = { 0: trainModel(seeds, { ...options, themePriors: [0] }), 0.5: trainModel(seeds, { ...options, themePriors: [0.5] }) };
    const chosen = both.themes.map((t) => both.training.options[`themePrior:${t.name}`] as 0 | 0.5);
    // Both candidates win somewhere on the seeds, so both branches are exercised.
    expect(new Set(chosen)).toEqual(new Set([0, 0.5]));
    both.themes.forEach((head, k) => expect(head, head.name).toEqual(alone[chosen[k]!].themes[k]));
    // The other heads never see the theme prior.
    expect(both.finding).toEqual(alone[0].finding);
    expect(both.polarity).toEqual(alone[0].polarity);
  });

  it('trainModel picks each theme\'s prior from the candidates by inner cross-validation and records it', () => {
    const model = trainModel(sample(), { epochs: 20 });
    expect(model.training.options.themePriors).toBe('0,0.5');
    for (const t of model.themes) expect([0, 0.5]).toContain(model.training.options[`themePrior:${t.name}`]);
    const off = trainModel(sample(), { epochs: 20, themePriors: [0] });
    for (const t of off.themes) expect(off.training.options[`themePrior:${t.name}`]).toBe(0);
    // eslint-disable-next-line no-sparse-arrays
    for (const bad of [[], [0, 0], [-0.1], [1.5], [0, 0.1, 0.2, 0.3, 0.4], [Number.NaN], ['0.5'], [, 0.5]]) {
      expect(() => trainModel(sample(), { themePriors: bad as never }), JSON.stringify(bad)).toThrow(RangeError);
    }
    expect(() => trainModel(sample(), { themePriors: 'half' as never })).toThrow(TypeError);
    // Feature families are checked as sentenceFeatures checks them: a wrong one is named, never merged in.
    expect(() => trainModel(sample(), { features: { bigrams: 'no' } as never })).toThrow(/trainModel options\.features\.bigrams/);
    expect(() => trainModel(sample(), { features: { trigrams: true } as never })).toThrow(/trainModel options\.features/);
    // An inner fold whose training side has no findings is refused up front, not at the end.
    const oneAuthority = sample()[0]!.authority;
    const findingsInOne = sample().map((x) => (x.authority === oneAuthority ? x : { ...x, finding: false, themes: [], polarity: 'neutral' as const }));
    expect(() => trainModel(findingsInOne, { innerFolds: 6 })).toThrow(/inner fold \d's training side has no findings/);
  });
});

describe('training', () => {
  it('the hand-labelled sample is well formed', () => {
    const s = sample();
    expect(s).toHaveLength(60);
    expect(new Set(s.map((x) => x.authority)).size).toBe(6);
    for (const x of s) {
      if (!x.finding) {
        expect(x.themes).toEqual([]);
        expect(x.polarity).toBe('neutral');
      }
    }
  });

  it('is deterministic: the same sample twice gives byte-identical models', () => {
    const a = trainModel(sample());
    const b = trainModel(sample());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.training.sentences).toBe(60);
    expect(a.training.authorities).toBe(6);
    expect(a.training.findings).toBe(ROWS.filter((r) => r[2]).length);
    // the trained model passes its own gate, and gives deterministic predictions
    const loaded = loadModel(JSON.stringify(a));
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(a));
    const c1 = createClassifier({ model: loadModel(JSON.stringify(a)) });
    const c2 = createClassifier({ model: loadModel(JSON.stringify(b)) });
    const texts = ROWS.map((r) => r[1]);
    expect(JSON.stringify(c2.classifyMany(texts))).toBe(JSON.stringify(c1.classifyMany(texts)));
  });

  it('the training fingerprint changes with the labels', () => {
    const a = trainModel(sample());
    const flipped = sample();
    flipped[0] = { ...flipped[0]!, polarity: 'positive' };
    const b = trainModel(flipped);
    expect(b.training.fingerprint).not.toBe(a.training.fingerprint);
    expect(b.checksum).not.toBe(a.checksum);
  });
});

describe('sentenceFeatures: the named features the model sees', () => {
  it('names word, bigram, negation-scoped, rule, score and block features of a hedged finding', () => {
    const features = sentenceFeatures('Management oversight is not always evident on case records.');
    // "not" scopes over the rest of its clause; Porter stems name the words.
    expect(features.get('n:evid')).toBe(1);
    expect(features.has('n:manag')).toBe(false);
    expect(features.get('b:case_record')).toBe(1);
    expect(features.get('b:^_manag')).toBe(1);
    expect(features.get('r:supervision.oversight')).toBe(1);
    expect(features.get('r:cue.hedge.not-always')).toBe(1);
    expect(features.get('rs:neg')).toBeGreaterThan(0);
    expect(features.get('k:text')).toBe(1);
  });

  it('adds the section heading and the block kind when given', () => {
    const features = sentenceFeatures('Thresholds are not consistently applied at the front door.', { section: 'Help and protection', kind: 'list-item' });
    expect(features.get('h:protect')).toBe(1);
    expect(features.get('k:list-item')).toBe(1);
    expect(features.has('k:text')).toBe(false);
  });

  it('names every feature the classifier gives as model evidence, on every seed sentence', () => {
    let checked = 0;
    for (const doc of loadSeedDocuments()) {
      for (const s of doc.sentences) {
        const options = { ...(s.section !== undefined ? { section: s.section } : {}), ...(s.kind !== undefined ? { kind: s.kind } : {}) };
        const names = sentenceFeatures(s.text, options);
        for (const e of classifyFinding(s.text, options).evidence) {
          if (e.kind !== 'model') continue;
          expect(names.has(e.source.slice('model:'.length)), `${e.source} in "${s.text}"`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('extracts only the families asked for, with the rules given', () => {
    const pack = { id: 'local', version: '1.0.0', description: 'local cue', themes: [{ id: 'front-door', label: 'Front door', description: 'contact and referral' }], rules: [{ id: 'local.front-door', target: { theme: 'front-door' }, patterns: ['front door'], weight: 3 }] };
    const rules = compileRulePacks([...BUILTIN_RULE_PACKS, pack]);
    const features = sentenceFeatures('Thresholds are applied well at the front door.', { rules, features: { bigrams: false, kind: false } });
    expect(features.get('r:local.front-door')).toBe(1);
    expect([...features.keys()].some((name) => name.startsWith('b:') || name.startsWith('k:') || name.startsWith('len:'))).toBe(false);
    expect(features.get('u:door')).toBe(1);
    // Families not named stay on, as in trainModel's `features` option.
    expect(features.get('u:threshold')).toBe(1);
    expect(sentenceFeatures('Thresholds are applied well.', { features: { unigrams: undefined } }).get('u:threshold')).toBe(1);
  });

  it('refuses bad arguments with a TypeError that names the problem', () => {
    expect(() => sentenceFeatures(42 as unknown as string)).toThrow(/sentenceFeatures expects a string, got number/);
    expect(() => sentenceFeatures('Text.', { features: { unigrams: 'yes' } as unknown as FeatureConfig })).toThrow(TypeError);
    expect(() => sentenceFeatures('Text.', { features: { unigrams: 'yes' } as unknown as FeatureConfig })).toThrow(/options\.features\.unigrams/);
    expect(() => sentenceFeatures('Text.', { rules: {} as CompiledRules })).toThrow(/options\.rules must be made by compileRulePacks/);
    expect(() => sentenceFeatures('Text.', { section: 7 as unknown as string })).toThrow(/options\.section/);
    expect(() => sentenceFeatures('Text.', { colour: 'red' } as never)).toThrow(/unknown option "colour"/);
    expect(() => sentenceFeatures('Text.', { kind: 'k'.repeat(51) })).toThrow(/options\.kind/);
    expect(() => sentenceFeatures('Text.', 'paragraph' as never)).toThrow(/expects an options object, got string/);
    expect(() => sentenceFeatures('Text.', { features: { trigrams: true } as never })).toThrow(/options\.features/);
  });

  it('gives the bias and the block features alone for an empty sentence', () => {
    expect([...sentenceFeatures('').keys()]).toEqual(['bias', 'rs:pos', 'rs:neg', 'rs:neu', 'rs:mixed', 'rs:net', 'rs:finding', 'k:text', 'len:xs']);
  });
});
