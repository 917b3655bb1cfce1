/**
 * Sentence → sparse features for the trained model: word 1- and 2-grams over
 * Porter stems, negation-scoped stems, rule hits and rule scores, section
 * heading stems and the sentence's block kind.
 *
 * The features are defined here, in `visitFeatures`, as named features (a Map,
 * for training and inspection). model/featurize.ts, the per-sentence hot path,
 * walks the same features straight to the model's weight rows without naming
 * them; the model tests check that the two agree feature for feature.
 */
import type { RuleAnalysis } from '../rules/analyse.js';
import type { Token } from '../rules/tokens.js';
import type { FeatureConfig } from '../schemas.js';

export type { FeatureConfig };

export const DEFAULT_FEATURES: FeatureConfig = { unigrams: true, bigrams: true, negation: true, rules: true, heading: true, kind: true };

export type FeatureVector = Map<string, number>;

/** Where features go. Word features arrive as stems; their names are u:stem, b:prev_stem and n:stem. */
export interface FeatureSink {
  unigram(stem: string): void;
  /** `previous` is "^" for the sentence-start bigram. */
  bigram(previous: string, stem: string): void;
  negated(stem: string): void;
  /** A rule hit, named r:ruleId. */
  rule(ruleId: string): void;
  /** A theme's rule score, named rs:theme:theme. */
  ruleTheme(theme: string, value: number): void;
  /** A section heading stem, named h:stem; set to 1 (heading stems count once). */
  heading(stem: string): void;
  /** Adds `value` to a named feature. */
  add(name: string, value: number): void;
}

export interface FeatureContext {
  headingTokens?: Token[];
  kind?: string;
}

export const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/** The rule-score features, in the order they are added (model/featurize.ts walks the same list). */
export const RULE_SCORE_FEATURES = ['rs:pos', 'rs:neg', 'rs:neu', 'rs:mixed', 'rs:net', 'rs:finding'] as const;

/** The values of RULE_SCORE_FEATURES for a sentence, written into `out`. */
export function ruleScoreValues(analysis: RuleAnalysis, out: number[]): number[] {
  const p = analysis.polarity;
  out[0] = Math.min(p.positive, 8) / 4;
  out[1] = Math.min(p.negative, 8) / 4;
  out[2] = Math.min(p.neutral, 4) / 2;
  out[3] = Math.min(p.mixed, 4) / 2;
  out[4] = clamp(p.positive - p.negative, -8, 8) / 4;
  out[5] = clamp(analysis.finding, -6, 6) / 3;
  return out;
}

/** The sentence-length features, shortest first. */
export const LENGTH_FEATURES = ['len:xs', 'len:s', 'len:m', 'len:l', 'len:xl'] as const;

/** Which of LENGTH_FEATURES a sentence of `words` words has. */
export function lengthBucket(words: number): number {
  return words < 4 ? 0 : words < 8 ? 1 : words < 20 ? 2 : words < 40 ? 3 : 4;
}

export function visitFeatures(analysis: RuleAnalysis, config: FeatureConfig, context: FeatureContext, sink: FeatureSink): void {
  sink.add('bias', 1);
  const tokens = analysis.tokens;
  let words = 0;
  let firstWord: string | undefined;
  let previous: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct') {
      previous = undefined;
      continue;
    }
    const stem = token.kind === 'number' ? '#' : token.stem;
    if (words++ === 0) firstWord = stem;
    if (config.unigrams) sink.unigram(stem);
    if (config.bigrams && previous !== undefined) sink.bigram(previous, stem);
    if (config.negation && analysis.negated[i]) sink.negated(stem);
    previous = stem;
  }
  if (config.bigrams && firstWord !== undefined) sink.bigram('^', firstWord);
  if (config.rules) {
    for (const e of analysis.evidence) if (e.kind === 'rule') sink.rule(e.source);
    for (const [theme, score] of analysis.themeScores) sink.ruleTheme(theme, clamp(score, -3, 6) / 3);
    const values = ruleScoreValues(analysis, []);
    RULE_SCORE_FEATURES.forEach((name, k) => sink.add(name, values[k]!));
    if (analysis.recommendation) sink.add('rs:recommendation', 1);
  }
  if (config.heading && context.headingTokens) {
    for (const t of context.headingTokens) if (t.kind === 'word') sink.heading(t.stem);
  }
  if (config.kind) {
    sink.add(`k:${context.kind ?? 'text'}`, 1);
    sink.add(LENGTH_FEATURES[lengthBucket(words)]!, 1);
  }
}

/** Named features, in first-occurrence order. */
export function extractFeatures(analysis: RuleAnalysis, config: FeatureConfig, context: FeatureContext = {}): FeatureVector {
  const features: FeatureVector = new Map();
  const add = (name: string, value: number) => features.set(name, (features.get(name) ?? 0) + value);
  visitFeatures(analysis, config, context, {
    unigram: (stem) => add(`u:${stem}`, 1),
    bigram: (previous, stem) => add(`b:${previous}_${stem}`, 1),
    negated: (stem) => add(`n:${stem}`, 1),
    rule: (ruleId) => add(`r:${ruleId}`, 1),
    ruleTheme: (theme, value) => add(`rs:theme:${theme}`, value),
    heading: (stem) => features.set(`h:${stem}`, 1),
    add,
  });
  return features;
}
