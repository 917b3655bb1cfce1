/**
 * Grouped k-fold cross-validation by authority: no authority is on both the
 * training and the test side of a fold. Deterministic for a given seed.
 */
import { assertClassifier, scoreThemes, type Classifier } from '../classify/classifier.js';
import { assertArray, assertFunction, assertInteger, assertNumber, assertOptionsObject, isRecord, describeType } from '../guards.js';
import type { LabelledSentence, Polarity } from '../schemas.js';
import { groupedFolds } from '../model/folds.js';

export interface Prediction {
  isFinding: boolean;
  themes: string[];
  themeScores: Record<string, number>;
  polarity: Polarity;
  polarityScores: Record<Polarity, number>;
  fold: number;
}

export interface CrossValidationOptions {
  folds?: number;
  seed?: number;
  /** Build the system for one fold from its training sentences. */
  makeClassifier: (train: LabelledSentence[], fold: number) => Classifier;
  onFold?: (fold: number, trainSize: number, testSize: number) => void;
}

export function predictionOf(classifier: Classifier, s: Pick<LabelledSentence, 'text' | 'section' | 'kind'>, fold: number): Prediction {
  const r = classifier.classify(s.text, { ...(s.section !== undefined ? { section: s.section } : {}), ...(s.kind !== undefined ? { kind: s.kind } : {}) });
  return {
    isFinding: r.isFinding,
    themes: r.themes.map((t) => t.theme).sort(),
    themeScores: scoreThemes(classifier, s.text, { ...(s.section !== undefined ? { section: s.section } : {}), ...(s.kind !== undefined ? { kind: s.kind } : {}) }),
    polarity: r.polarity,
    polarityScores: r.polarityScores,
    fold,
  };
}

export function crossValidate(sentences: readonly LabelledSentence[], options: CrossValidationOptions): Prediction[] {
  assertArray(sentences, 'crossValidate (sentences)');
  options = assertOptionsObject(options, 'crossValidate');
  assertFunction(options.makeClassifier, 'crossValidate (options.makeClassifier)');
  if (options.onFold !== undefined) assertFunction(options.onFold, 'crossValidate (options.onFold)');
  const k = options.folds ?? 5;
  assertInteger(k, 'crossValidate (options.folds)', 1);
  const seed = options.seed ?? 2026;
  assertNumber(seed, 'crossValidate (options.seed)');
  sentences.forEach((s, i) => {
    if (!isRecord(s) || typeof s.text !== 'string' || typeof s.authority !== 'string') {
      throw new TypeError(`crossValidate: sentences[${i}] must be a labelled sentence with string text and authority, got ${describeType(s)}`);
    }
  });
  const folds = groupedFolds(sentences.map((s) => s.authority), k, seed);
  const out = new Array<Prediction>(sentences.length);
  for (let f = 0; f < k; f++) {
    const train = sentences.filter((_, i) => folds[i] !== f);
    const testIdx = sentences.flatMap((_, i) => (folds[i] === f ? [i] : []));
    options.onFold?.(f, train.length, testIdx.length);
    const classifier = options.makeClassifier([...train], f);
    assertClassifier(classifier, `crossValidate: the result of options.makeClassifier (fold ${f})`);
    for (const i of testIdx) out[i] = predictionOf(classifier, sentences[i]!, f);
  }
  return out;
}
