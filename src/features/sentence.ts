/**
 * A sentence's named features, from its text: what the trainer learns from and
 * what a model's weights are named by (u:stem, b:prev_stem, n:stem, r:rule,
 * rs:…, h:stem, k:kind, len:…). For inspection and for experiments with other
 * learners; classifying walks the same features without naming them.
 */
import * as z from 'zod/mini';
import { analyseSentence } from '../rules/analyse.js';
import { BUILTIN_RULE_PACKS } from '../rules/builtin.js';
import { compileRulePacks, isCompiledRules, type CompiledRules } from '../rules/compile.js';
import { tokenize } from '../rules/tokens.js';
import { assertOptionsObject, assertString, describeType, schemaTypeError } from '../guards.js';
import { ClassifyOptionsSchema, FeatureConfigSchema, type FeatureConfig } from '../schemas.js';
import { DEFAULT_FEATURES, extractFeatures } from './extract.js';

export interface SentenceFeatureOptions {
  /** The section heading the sentence sits under, when known. */
  section?: string;
  /** The block the sentence came from (paragraph, list-item, table-row, line), when known. */
  kind?: string;
  /** Compiled rule packs (compileRulePacks); defaults to the built-in packs. */
  rules?: CompiledRules;
  /** Feature families to switch on or off; the rest as the bundled model (all on), as trainModel's `features` option. */
  features?: Partial<FeatureConfig>;
}

/** Feature families given in part, as trainModel takes them. */
const PartialFeatureConfigSchema = z.partial(FeatureConfigSchema);

/** Feature families given in part (undefined: not given), checked and completed from DEFAULT_FEATURES; a TypeError names a bad one. */
export function featureConfigOf(features: unknown, where: string): FeatureConfig {
  if (features === undefined) return { ...DEFAULT_FEATURES };
  const parsed = PartialFeatureConfigSchema.safeParse(features);
  if (!parsed.success) throw schemaTypeError(where, parsed.error);
  const config = { ...DEFAULT_FEATURES };
  for (const [family, on] of Object.entries(parsed.data)) if (on !== undefined) config[family as keyof FeatureConfig] = on;
  return config;
}

/** The built-in packs, compiled once (compileRulePacks would fingerprint them on every call). */
let builtInRules: CompiledRules | undefined;

/** The features of one sentence, unchecked: the trainer's path (sentenceFeatures checks its arguments, then calls this). */
export function namedFeatures(rules: CompiledRules, config: FeatureConfig, text: string, section?: string, kind?: string): Map<string, number> {
  const headingTokens = section !== undefined ? tokenize(section) : undefined;
  const analysis = analyseSentence(rules, text, section, headingTokens);
  return extractFeatures(analysis, config, { ...(headingTokens ? { headingTokens } : {}), ...(kind !== undefined ? { kind } : {}) });
}

/** The named features of `text` (feature name → value, in first-occurrence order). */
export function sentenceFeatures(text: string, options?: SentenceFeatureOptions): Map<string, number> {
  assertString(text, 'sentenceFeatures');
  const { section, kind, rules, features, ...rest } = assertOptionsObject(options, 'sentenceFeatures');
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new TypeError(`sentenceFeatures options: unknown option "${unknown[0]}"`);
  const context = ClassifyOptionsSchema.safeParse({ ...(section !== undefined ? { section } : {}), ...(kind !== undefined ? { kind } : {}) });
  if (!context.success) throw schemaTypeError('sentenceFeatures options', context.error);
  if (rules !== undefined && !isCompiledRules(rules)) throw new TypeError(`sentenceFeatures options.rules must be made by compileRulePacks, got ${describeType(rules)}`);
  const config = featureConfigOf(features, 'sentenceFeatures options.features');
  return namedFeatures(rules ?? (builtInRules ??= compileRulePacks([...BUILTIN_RULE_PACKS])), config, text, context.data.section, context.data.kind);
}
