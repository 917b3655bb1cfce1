/**
 * Sentence → sparse features for the trained model: word 1- and 2-grams over
 * Porter stems, negation-scoped stems, rule hits and rule scores, section
 * heading stems and the sentence's block kind. Names are short strings; the
 * model's vocabulary maps them to weight rows.
 */
import type { RuleAnalysis } from '../rules/analyse.js';
import type { Token } from '../rules/tokens.js';

export interface FeatureConfig {
  unigrams: boolean;
  bigrams: boolean;
  negation: boolean;
  rules: boolean;
  heading: boolean;
  kind: boolean;
}

export const DEFAULT_FEATURES: FeatureConfig = { unigrams: true, bigrams: true, negation: true, rules: true, heading: true, kind: true };

export type FeatureVector = Map<string, number>;

function add(features: FeatureVector, name: string, value = 1): void {
  features.set(name, (features.get(name) ?? 0) + value);
}

export function extractFeatures(
  analysis: RuleAnalysis,
  config: FeatureConfig,
  context: { headingTokens?: Token[]; kind?: string } = {},
): FeatureVector {
  const features: FeatureVector = new Map();
  add(features, 'bias');
  const words = analysis.tokens.filter((t) => t.kind !== 'punct');
  let previous: string | undefined;
  for (let i = 0; i < analysis.tokens.length; i++) {
    const token = analysis.tokens[i]!;
    if (token.kind === 'punct') {
      previous = undefined;
      continue;
    }
    const stem = token.kind === 'number' ? '#' : token.stem;
    if (config.unigrams) add(features, `u:${stem}`);
    if (config.bigrams && previous !== undefined) add(features, `b:${previous}_${stem}`);
    if (config.negation && analysis.negated[i]) add(features, `n:${stem}`);
    previous = stem;
  }
  if (config.bigrams && words.length > 0) add(features, `b:^_${words[0]!.kind === 'number' ? '#' : words[0]!.stem}`);
  if (config.rules) {
    for (const e of analysis.evidence) if (e.kind === 'rule') add(features, `r:${e.source}`);
    for (const [theme, score] of analysis.themeScores) add(features, `rs:theme:${theme}`, Math.max(-3, Math.min(6, score)) / 3);
    const p = analysis.polarity;
    add(features, 'rs:pos', Math.min(p.positive, 8) / 4);
    add(features, 'rs:neg', Math.min(p.negative, 8) / 4);
    add(features, 'rs:neu', Math.min(p.neutral, 4) / 2);
    add(features, 'rs:mixed', Math.min(p.mixed, 4) / 2);
    add(features, 'rs:net', Math.max(-8, Math.min(8, p.positive - p.negative)) / 4);
    add(features, 'rs:finding', Math.max(-6, Math.min(6, analysis.finding)) / 3);
    if (analysis.recommendation) add(features, 'rs:recommendation');
  }
  if (config.heading && context.headingTokens) {
    for (const t of context.headingTokens) if (t.kind === 'word') features.set(`h:${t.stem}`, 1);
  }
  if (config.kind) {
    add(features, `k:${context.kind ?? 'text'}`);
    const n = words.length;
    add(features, `len:${n < 4 ? 'xs' : n < 8 ? 's' : n < 20 ? 'm' : n < 40 ? 'l' : 'xl'}`);
  }
  return features;
}
