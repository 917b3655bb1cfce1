/**
 * The combination stage: rule evidence + trained model → FindingResult.
 * A classifier owns its compiled rules and model; nothing here is global or
 * mutable from outside, and the same input always gives the same result.
 */
import { analyseTokens, matchHeading, rulePolarity, rulePolarityScores, type RuleAnalysis } from '../rules/analyse.js';
import type { RuleHit } from '../rules/match.js';
import { BUILTIN_RULE_PACKS } from '../rules/builtin.js';
import { compileRulePacks, type CompiledRules } from '../rules/compile.js';
import { tokenize, tokenizeTransient, type Token } from '../rules/tokens.js';
import { compileModel, sealModel, type CompiledModel } from '../model/model.js';
import { deepFreeze } from '../freeze.js';
import { featurizeForModel, pushTopContributions, releaseProducts, scoreAllHeads } from '../model/featurize.js';
import { sigmoid } from '../model/logistic.js';
import { assertOptionsObject, describeType, schemaTypeError } from '../guards.js';
import {
  ClassifyOptionsSchema,
  POLARITIES,
  type ClassifyOptions,
  type Evidence,
  type FindingResult,
  type Model,
  type Polarity,
  type RulePack,
  type ThemeDefinition,
} from '../schemas.js';

export interface ClassifierOptions {
  /** Packs added to the built-in ones (core-themes, polarity, findings). */
  rulePacks?: RulePack[];
  /** A trained model (see loadModel); defaults to the bundled model. */
  model?: Model;
  /** Per-theme (and "finding") probability thresholds, overriding the model's. */
  thresholds?: Record<string, number>;
}

export type ClassifyInput = string | ({ text: string } & ClassifyOptions);

export interface Classifier {
  classify(text: string, options?: ClassifyOptions): FindingResult;
  /** Batched classification; gives exactly the results of classify() one by one. */
  classifyMany(texts: readonly ClassifyInput[]): FindingResult[];
  /** Every theme the classifier can tag: built-in and from added packs. */
  readonly themes: readonly ThemeDefinition[];
  /** The rules in force after extends and overrides (frozen copies; the compiled automaton stays private). */
  readonly rules: readonly Readonly<RuleInfo>[];
  /** The validated model in use (a frozen copy), or undefined for rules only. */
  readonly model: Readonly<Model> | undefined;
}

export interface RuleInfo {
  id: string;
  packId: string;
  description: string;
  target: string;
  weight: number;
  patterns: readonly string[];
}

/** Rules-only: a theme whose summed rule weight reaches this is tagged. */
export const RULE_THEME_THRESHOLD = 2;
/** Rules-only: a sentence is a finding when its finding score reaches this. */
const RULE_FINDING_THRESHOLD = 0.5;
/** What a sentence-like block with no cues scores: exactly the bar, so any boilerplate cue takes it under. */
const RULE_FINDING_PRIOR = 0.5;
const MODEL_EVIDENCE_LIMIT = 3;

function ruleThemeProbability(score: number): number {
  return sigmoid(1.5 * (score - RULE_THEME_THRESHOLD));
}

/**
 * Rules-only finding decision. Most sentences of a report's body are findings,
 * so a sentence-like block is one unless boilerplate cues (method, letter
 * furniture, context statistics) outweigh that; evaluative cues add to it.
 * Short fragments and table rows or lone lines start below the bar.
 */
function ruleFindingScore(analysis: RuleAnalysis, kind: string | undefined): number {
  let words = 0;
  for (const t of analysis.tokens) if (t.kind === 'word') words++;
  let score = RULE_FINDING_PRIOR + analysis.finding + 0.5 * Math.min(analysis.polarity.positive + analysis.polarity.negative, 4);
  if (analysis.themeScores.size > 0) score += 0.5;
  if (words < 4) score -= 2;
  if (kind === 'table-row' || kind === 'line') score -= 1;
  return score;
}

function emptyResult(text: string, section: string | undefined): FindingResult {
  return {
    text,
    isFinding: false,
    ...(section !== undefined ? { section } : {}),
    themes: [],
    polarity: 'neutral',
    polarityScores: { positive: 0, negative: 0, mixed: 0, neutral: 1 },
    evidence: [],
  };
}

function checkThresholds(thresholds: Record<string, number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (thresholds === undefined) return out;
  if (typeof thresholds !== 'object' || thresholds === null) throw new TypeError('createClassifier: thresholds must be an object of numbers between 0 and 1');
  for (const key of Object.keys(thresholds)) {
    const value = thresholds[key];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new TypeError(`createClassifier: thresholds.${key} must be a number between 0 and 1`);
    out.set(key, value);
  }
  return out;
}

interface Engine {
  rules: CompiledRules;
  model: CompiledModel | undefined;
  thresholds: Map<string, number>;
  /** Scratch for the model's head scores (classification is synchronous). */
  scores: Float64Array;
  /** Per polarity class of the model, its place in POLARITIES (positive, negative, mixed, neutral). */
  polaritySlots: number[];
}

/** A section heading's tokens and its heading-rule hits: the same for every sentence of the section. */
interface Heading {
  tokens: Token[];
  hits: RuleHit[];
}

function headingFor(cache: Map<string, Heading>, rules: CompiledRules, section: string | undefined): Heading | undefined {
  if (section === undefined) return undefined;
  let heading = cache.get(section);
  if (!heading) {
    const tokens = tokenize(section);
    heading = { tokens, hits: matchHeading(rules, tokens, section) };
    if (cache.size > 1000) cache.clear();
    cache.set(section, heading);
  }
  return heading;
}

function themeEvidence(evidence: Evidence[], theme: string): Evidence[] {
  const target = `theme:${theme}`;
  const out: Evidence[] = [];
  for (const e of evidence) if (e.target === target) out.push(e);
  return out;
}

/** The result object, keys in their documented order (section only when given). */
function resultOf(text: string, isFinding: boolean, section: string | undefined, themes: FindingResult['themes'], polarity: Polarity, polarityScores: Record<Polarity, number>, evidence: Evidence[]): FindingResult {
  return section === undefined ? { text, isFinding, themes, polarity, polarityScores, evidence } : { text, isFinding, section, themes, polarity, polarityScores, evidence };
}

/** { section?, kind? } with string values within the schema's limits, and no other keys. */
function isPlainOptions(options: unknown): options is ClassifyOptions {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype) return false;
  for (const key in options) {
    const value = (options as Record<string, unknown>)[key];
    if (key === 'section') {
      if (value !== undefined && (typeof value !== 'string' || value.length > 10_000)) return false;
    } else if (key === 'kind') {
      if (value !== undefined && (typeof value !== 'string' || value.length > 50)) return false;
    } else return false;
  }
  return true;
}

function classifyWith(engine: Engine, headingCache: Map<string, Heading>, text: unknown, options?: ClassifyOptions): FindingResult {
  if (typeof text !== 'string') {
    throw new TypeError(`classifyFinding expects a string, got ${text === null ? 'null' : Array.isArray(text) ? 'an array' : typeof text}`);
  }
  let section: string | undefined;
  let kind: string | undefined;
  if (options !== undefined) {
    if (isPlainOptions(options)) {
      // The common, well-formed case skips the schema: classify() is on the per-sentence hot path.
      section = options.section;
      kind = options.kind;
    } else {
      const parsed = ClassifyOptionsSchema.safeParse(options);
      if (!parsed.success) throw schemaTypeError('classifyFinding options', parsed.error);
      section = parsed.data.section;
      kind = parsed.data.kind;
    }
  }
  // A visible ASCII first character settles it without trimming (trim may copy the text).
  const first = text.charCodeAt(0);
  if (!(first > 32 && first < 127) && text.trim() === '') return emptyResult(text, section);

  const heading = headingFor(headingCache, engine.rules, section);
  const headingTokens = heading?.tokens;
  // Tokens last only for this call: nothing in the result refers to them.
  const { tokens, lexemes } = tokenizeTransient(text);
  const analysis = analyseTokens(engine.rules, text, tokens, lexemes, section, headingTokens, heading?.hits);
  // The analysis is this call's own: its evidence list becomes the result's.
  const evidence = analysis.evidence;

  if (!engine.model) {
    const isFinding = ruleFindingScore(analysis, kind) >= RULE_FINDING_THRESHOLD;
    const themes = isFinding ? ruleThemes(engine, analysis, evidence, NO_THEMES) : [];
    return resultOf(text, isFinding, section, themes, rulePolarity(analysis.polarity, isFinding), rulePolarityScores(analysis.polarity, isFinding), evidence);
  }

  const compiled = engine.model;
  const model = compiled.model;
  const features = featurizeForModel(compiled, analysis, { headingTokens, kind }, lexemes);
  // Every head in one pass over the features (theme heads are needed for findings, most sentences).
  const classes = compiled.polarityClasses;
  const P = classes.length;
  const base = 1 + compiled.themeIds.length;
  const scores = engine.scores;
  scoreAllHeads(compiled, features, scores);
  const { a, b } = model.finding.calibration;
  const pFinding = sigmoid(a * scores[0]! + b);
  const isFinding = pFinding >= (engine.thresholds.get('finding') ?? model.finding.threshold);

  // Polarity: calibrated softmax over the four classes, mixed with P(not a finding) → neutral.
  const T = model.polarity.temperature;
  let max = -Infinity;
  for (let k = 0; k < P; k++) max = Math.max(max, scores[base + k]! / T);
  const conditional: number[] = [];
  let sum = 0;
  for (let k = 0; k < P; k++) sum += conditional[k] = Math.exp(scores[base + k]! / T - max);
  for (let k = 0; k < P; k++) conditional[k] = conditional[k]! / sum;
  // Per polarity (positive, negative, mixed, neutral), by index rather than by name: the same sums, without keyed lookups.
  const byPolarity = [0, 0, 0, 1 - pFinding];
  const slots = engine.polaritySlots;
  for (let k = 0; k < P; k++) {
    const at = slots[k]!;
    byPolarity[at] = byPolarity[at]! + pFinding * conditional[k]!;
  }
  const polarityScores: Record<Polarity, number> = { positive: byPolarity[0]!, negative: byPolarity[1]!, mixed: byPolarity[2]!, neutral: byPolarity[3]! };
  // A finding's polarity: the highest score after the model's decision offsets (fitted for accuracy).
  let polarity: Polarity = 'neutral';
  let polarityIndex = -1;
  if (isFinding) {
    const offsets = model.polarity.offsets;
    let best = -Infinity;
    for (let k = 0; k < P; k++) {
      const v = Math.log(byPolarity[slots[k]!]!) + offsets[k]!;
      if (v > best) {
        polarity = classes[k]!;
        best = v;
        polarityIndex = k;
      }
    }
  }

  const themes: FindingResult['themes'] = [];
  if (isFinding) {
    const themeIds = compiled.themeIds;
    for (let i = 0; i < themeIds.length; i++) {
      const theme = themeIds[i]!;
      const head = model.themes[i]!;
      const p = sigmoid(head.calibration.a * scores[1 + i]! + head.calibration.b);
      if (p >= (engine.thresholds.get(theme) ?? head.threshold)) {
        const themeRuleEvidence = themeEvidence(evidence, theme);
        pushTopContributions(compiled, features, 1 + i, MODEL_EVIDENCE_LIMIT, `theme:${theme}`, themeRuleEvidence);
        themes.push({ theme, score: p, evidence: themeRuleEvidence });
      }
    }
    if (analysis.themeScores.size > 0) themes.push(...ruleThemes(engine, analysis, evidence, compiled.themeSet));
    themes.sort((x, y) => y.score - x.score || (x.theme < y.theme ? -1 : 1));
    if (polarityIndex >= 0) pushTopContributions(compiled, features, base + polarityIndex, MODEL_EVIDENCE_LIMIT, `polarity:${polarity}`, evidence);
  }
  releaseProducts(compiled);
  return resultOf(text, isFinding, section, themes, polarity, polarityScores, evidence);
}

/** Themes decided by rules alone: every theme when there is no model, else themes the model does not know. */
function ruleThemes(engine: Engine, analysis: RuleAnalysis, evidence: Evidence[], skip: ReadonlySet<string>): FindingResult['themes'] {
  const out: FindingResult['themes'] = [];
  for (const [theme, score] of analysis.themeScores) {
    if (skip.has(theme)) continue;
    const p = ruleThemeProbability(score);
    if (p >= (engine.thresholds.get(theme) ?? 0.5)) out.push({ theme, score: p, evidence: themeEvidence(evidence, theme) });
  }
  return out.sort((x, y) => y.score - x.score || (x.theme < y.theme ? -1 : 1));
}

const NO_THEMES: ReadonlySet<string> = new Set();

const engines = new WeakMap<Classifier, { engine: Engine; headingCache: Map<string, Heading> }>();

/** A classifier made by createClassifier or createRuleClassifier (anything else, however shaped, is a TypeError). */
export function assertClassifier(value: unknown, where: string): asserts value is Classifier {
  if (value === null || typeof value !== 'object' || !engines.has(value as Classifier)) {
    throw new TypeError(`${where} must be a classifier made by createClassifier or createRuleClassifier, got ${describeType(value)}`);
  }
}

/**
 * Calibrated probability of every theme the classifier knows (not only those
 * above threshold), for calibration curves and custom thresholds. A non-finding
 * has probability 0 for every theme.
 */
export function scoreThemes(classifier: Classifier, text: string, options?: ClassifyOptions): Record<string, number> {
  const found = engines.get(classifier);
  if (!found) throw new TypeError('scoreThemes expects a classifier made by createClassifier or createRuleClassifier');
  const { engine, headingCache } = found;
  const all: Record<string, number> = Object.fromEntries(engine.rules.themes.map((t) => [t.id, 0]));
  if (typeof text !== 'string' || text.trim() === '') return all;
  const result = classifyWith({ ...engine, thresholds: new Map([...engine.rules.themes.map((t) => [t.id, 0] as [string, number]), ...(engine.thresholds.has('finding') ? [['finding', engine.thresholds.get('finding')!] as [string, number]] : [])]) }, headingCache, text, options);
  if (!result.isFinding) return all;
  for (const t of result.themes) all[t.theme] = t.score;
  return all;
}

function buildClassifier(rulePacks: RulePack[] | undefined, model: Model | undefined, thresholds: Record<string, number> | undefined): Classifier {
  if (rulePacks !== undefined && !Array.isArray(rulePacks)) throw new TypeError('createClassifier: rulePacks must be an array of rule packs');
  const rules = compileRulePacks([...BUILTIN_RULE_PACKS, ...(rulePacks ?? [])]);
  // Models are data from outside: validated (schema, version, checksum) into a private frozen copy.
  const ownModel = model === undefined ? undefined : sealModel(model, 'createClassifier: options.model');
  const compiled = ownModel ? compileModel(ownModel) : undefined;
  const engine: Engine = {
    rules,
    model: compiled,
    thresholds: checkThresholds(thresholds),
    scores: new Float64Array(compiled?.heads ?? 0),
    polaritySlots: compiled?.polarityClasses.map((c) => POLARITIES.indexOf(c)) ?? [],
  };
  const ruleInfo = deepFreeze(rules.rules.map((r) => ({ id: r.id, packId: r.packId, description: r.description, target: r.targetKey, weight: r.weight, patterns: [...r.patterns] })));
  const headingCache = new Map<string, Heading>();
  const classify = (text: string, options?: ClassifyOptions) => classifyWith(engine, headingCache, text, options);
  const classifier: Classifier = Object.freeze({
    classify,
    classifyMany(texts: readonly ClassifyInput[]): FindingResult[] {
      if (!Array.isArray(texts)) throw new TypeError('classifyMany expects an array of strings or { text, section?, kind? } objects');
      return texts.map((item) => {
        if (typeof item === 'string') return classify(item);
        if (item === null || typeof item !== 'object') return classify(item as unknown as string);
        const { text, ...options } = item;
        return classify(text, options);
      });
    },
    themes: deepFreeze(rules.themes.map((t) => ({ ...t }))),
    rules: ruleInfo,
    model: ownModel,
  });
  engines.set(classifier, { engine, headingCache });
  return classifier;
}

/** The shipped classifier: rules + the given (or bundled) trained model. */
export function createClassifierWithModel(options: ClassifierOptions, bundled: () => Model): Classifier {
  // null is refused (not read as "defaults"), as it always has been here; createRuleClassifier agrees.
  options = assertOptionsObject(options, 'createClassifier', { allowNull: false });
  return buildClassifier(options.rulePacks, options.model ?? bundled(), options.thresholds);
}

/** A classifier that uses the rule packs alone (no trained model): the "rules only" system. */
export function createRuleClassifier(options: Omit<ClassifierOptions, 'model'> = {}): Classifier {
  options = assertOptionsObject(options, 'createRuleClassifier', { allowNull: false });
  return buildClassifier(options.rulePacks, undefined, options.thresholds);
}
