/**
 * Rule hits → evidence and rule scores for one sentence: theme scores,
 * polarity scores with negation scope, hedges, contrast clauses and
 * recommendation forms, and a finding score. This is the whole "rules only"
 * classifier, and its outputs are also features for the trained model.
 */
import type { Evidence, Polarity } from '../schemas.js';
import { assertArray, assertOptionalString, assertString, describeType } from '../guards.js';
import { isCompiledRules, type CompiledRules } from './compile.js';
import { matchTokens, type RuleHit } from './match.js';
import { tokenizeWithLexemes, type Lexeme, type Token } from './tokens.js';

export interface PolarityTally {
  positive: number;
  negative: number;
  neutral: number;
  /** Positive and negative weight in different clauses split by a contrast marker. */
  mixed: number;
}

export interface RuleAnalysis {
  tokens: Token[];
  evidence: Evidence[];
  /** Summed weight per theme (only themes with hits). */
  themeScores: Map<string, number>;
  polarity: PolarityTally;
  /** Positive when the sentence reads as a finding, negative for boilerplate. */
  finding: number;
  recommendation: boolean;
  /** Tokens inside a negation scope ("not", "lack of", …), by index. */
  negated: Uint8Array;
}

/** How far (in tokens) a negator reaches, unless a clause boundary comes first. */
const NEGATION_REACH = 6;
const CLAUSE_BREAK = new Set([';', ':', '(', ')']);

function evidenceOf(rules: CompiledRules, hit: { rule: number; tokenStart: number; tokenEnd: number }, tokens: Token[], text: string, weight?: number): Evidence {
  const rule = rules.rules[hit.rule]!;
  const start = tokens[hit.tokenStart]!.start;
  const end = tokens[hit.tokenEnd - 1]!.end;
  return { source: rule.id, kind: 'rule', target: rule.targetKey, text: text.slice(start, end), span: { start, end }, weight: weight ?? rule.weight };
}

export function analyseSentence(rules: CompiledRules, text: string, section?: string, headingTokens?: Token[]): RuleAnalysis {
  if (!isCompiledRules(rules)) throw new TypeError(`analyseSentence expects rules made by compileRulePacks, got ${describeType(rules)}`);
  assertString(text, 'analyseSentence (text)');
  assertOptionalString(section, 'analyseSentence (section)');
  if (headingTokens !== undefined) assertArray(headingTokens, 'analyseSentence (headingTokens)');
  const { tokens, lexemes } = tokenizeWithLexemes(text);
  return analyseTokens(rules, text, tokens, lexemes, section, headingTokens);
}

/** Scratch: each token's clause number (analysis is synchronous, so one array serves every sentence that fits). */
const clauseScratch = new Int32Array(1024);

/** The hits of heading-scoped rules on a section heading (what analyseSentence finds for its headingTokens). */
export function matchHeading(rules: CompiledRules, headingTokens: Token[], section: string | undefined): RuleHit[] {
  return headingTokens.length > 0 ? matchTokens(rules, headingTokens, section, true) : [];
}

/**
 * analyseSentence for text already tokenised (the classifier keeps the lexemes for its features); arguments unchecked.
 * `headingHits`, when given, is matchHeading(rules, headingTokens, section), which the classifier keeps per section.
 */
export function analyseTokens(rules: CompiledRules, text: string, tokens: Token[], lexemes: readonly Lexeme[], section?: string, headingTokens?: Token[], headingHits?: readonly RuleHit[]): RuleAnalysis {
  const hits = matchTokens(rules, tokens, section, false, lexemes);
  const evidence: Evidence[] = [];
  const themeScores = new Map<string, number>();
  const polarity: PolarityTally = { positive: 0, negative: 0, neutral: 0, mixed: 0 };
  let finding = 0;
  let recommendation = false;

  // Clauses: split at contrast markers and at ; : ( ).
  const clause = tokens.length <= clauseScratch.length ? clauseScratch : new Int32Array(tokens.length);
  let contrastAt: Set<number> | undefined;
  for (const hit of hits) if (rules.rules[hit.rule]!.targetKey === 'cue:contrast') (contrastAt ??= new Set()).add(hit.tokenStart);
  let c = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (contrastAt?.has(i) || (token.kind === 'punct' && CLAUSE_BREAK.has(token.norm))) c++;
    clause[i] = c;
  }

  // Negation scope: from the end of each negator to the clause end, at most NEGATION_REACH tokens.
  const negated = new Uint8Array(tokens.length);
  for (const hit of hits) {
    const rule = rules.rules[hit.rule]!;
    if (rule.targetKey !== 'cue:negator') continue;
    evidence.push(evidenceOf(rules, hit, tokens, text));
    for (let i = hit.tokenEnd; i < Math.min(tokens.length, hit.tokenEnd + NEGATION_REACH); i++) {
      if (clause[i] !== clause[hit.tokenStart] || tokens[i]!.norm === ',') break;
      negated[i] = 1;
    }
  }

  let hedgedClauses: Set<number> | undefined;
  for (const hit of hits) if (rules.rules[hit.rule]!.targetKey === 'cue:hedge') (hedgedClauses ??= new Set()).add(clause[hit.tokenStart]!);

  // Per-clause weights matter only for "mixed", which needs a contrast marker: kept only then.
  const clausePositive = contrastAt === undefined ? undefined : new Map<number, number>();
  const clauseNegative = contrastAt === undefined ? undefined : new Map<number, number>();
  const addClause = (map: Map<number, number> | undefined, k: number, w: number) => map?.set(k, (map.get(k) ?? 0) + w);

  for (const hit of hits) {
    const rule = rules.rules[hit.rule]!;
    const at = clause[hit.tokenStart]!;
    switch (rule.targetKey) {
      case 'cue:negator':
        break;
      case 'cue:contrast':
        evidence.push(evidenceOf(rules, hit, tokens, text));
        break;
      case 'cue:hedge':
        // Hedges ("not always", "variable", "yet to") read as shortfalls.
        polarity.negative += rule.weight;
        addClause(clauseNegative, at, rule.weight);
        evidence.push(evidenceOf(rules, hit, tokens, text));
        break;
      case 'cue:recommendation':
        recommendation = true;
        polarity.negative += rule.weight;
        addClause(clauseNegative, at, rule.weight);
        finding += 1;
        evidence.push(evidenceOf(rules, hit, tokens, text));
        break;
      case 'polarity:positive':
      case 'polarity:negative': {
        let positive = rule.targetKey === 'polarity:positive';
        let weight = rule.weight;
        if (negated[hit.tokenStart]) {
          // Negated praise is a shortfall; a negated weakness is only mildly positive.
          if (!positive) weight *= 0.5;
          positive = !positive;
        } else if (positive && hedgedClauses?.has(at)) {
          weight *= 0.5;
        }
        if (positive) {
          polarity.positive += weight;
          addClause(clausePositive, at, weight);
        } else {
          polarity.negative += weight;
          addClause(clauseNegative, at, weight);
        }
        evidence.push(evidenceOf(rules, hit, tokens, text, positive === (rule.targetKey === 'polarity:positive') ? weight : -weight));
        break;
      }
      case 'polarity:neutral':
        polarity.neutral += rule.weight;
        evidence.push(evidenceOf(rules, hit, tokens, text));
        break;
      case 'finding:true':
      case 'finding:false':
        finding += rule.targetKey === 'finding:true' ? rule.weight : -rule.weight;
        evidence.push(evidenceOf(rules, hit, tokens, text));
        break;
      default: {
        const theme = rule.targetKey.slice('theme:'.length);
        themeScores.set(theme, (themeScores.get(theme) ?? 0) + rule.weight);
        evidence.push(evidenceOf(rules, hit, tokens, text));
      }
    }
  }

  // Heading-scoped rules ("Areas for development" leans negative) are weaker evidence.
  if (headingTokens && headingTokens.length > 0) {
    for (const hit of headingHits ?? matchHeading(rules, headingTokens, section)) {
      const rule = rules.rules[hit.rule]!;
      if (rule.targetKey === 'polarity:positive') polarity.positive += rule.weight;
      else if (rule.targetKey === 'polarity:negative') polarity.negative += rule.weight;
      else if (rule.targetKey.startsWith('finding:')) finding += rule.targetKey === 'finding:true' ? rule.weight : -rule.weight;
      else if (rule.targetKey.startsWith('theme:')) {
        const theme = rule.targetKey.slice('theme:'.length);
        themeScores.set(theme, (themeScores.get(theme) ?? 0) + rule.weight);
      }
      evidence.push({ source: rule.id, kind: 'rule', target: rule.targetKey, text: section ?? '', weight: rule.weight });
    }
  }

  // Mixed: a positive clause and a negative clause, each clearly one-sided.
  if (clausePositive !== undefined && clauseNegative !== undefined) {
    let bestPositive = 0;
    let bestNegative = 0;
    for (const [k, p] of clausePositive) bestPositive = Math.max(bestPositive, p - (clauseNegative.get(k) ?? 0));
    for (const [k, n] of clauseNegative) bestNegative = Math.max(bestNegative, n - (clausePositive.get(k) ?? 0));
    polarity.mixed = Math.min(bestPositive, bestNegative);
  }

  return { tokens, evidence, themeScores, polarity, finding, recommendation, negated };
}

/**
 * Rules-only polarity decision from the tally. A finding with no polarity cue
 * at all reads as positive unless a neutral cue (a plan, an intention) fired:
 * inspection prose marks its shortfalls (negators, hedges, "too few", "yet to"),
 * while good practice is often stated plainly ("Social workers visit children
 * regularly").
 */
export function rulePolarity(tally: PolarityTally, isFinding: boolean): Polarity {
  if (!isFinding) return 'neutral';
  if (tally.mixed >= 1) return 'mixed';
  const net = tally.positive - tally.negative;
  if (tally.positive + tally.negative < 0.75) return tally.neutral > 0 ? 'neutral' : 'positive';
  if (Math.abs(net) < 0.5) return tally.positive > 0 && tally.negative > 0 ? 'mixed' : 'neutral';
  return net > 0 ? 'positive' : 'negative';
}

/**
 * Rules-only polarity scores: a softmax over the tally, summing to 1
 * (uncalibrated). The decided polarity always has the highest score.
 */
export function rulePolarityScores(tally: PolarityTally, isFinding: boolean): Record<Polarity, number> {
  if (!isFinding) return { positive: 0, negative: 0, mixed: 0, neutral: 1 };
  const logits: Record<Polarity, number> = {
    positive: tally.positive - tally.negative,
    negative: tally.negative - tally.positive,
    mixed: 2 * tally.mixed + Math.min(tally.positive, tally.negative) - 1,
    neutral: 0.75 + tally.neutral - tally.positive - tally.negative,
  };
  // Lift the decision above the rest so that scores and decision never disagree.
  const decided = rulePolarity(tally, isFinding);
  const others = (Object.keys(logits) as Polarity[]).filter((k) => k !== decided);
  logits[decided] = Math.max(logits[decided], ...others.map((k) => logits[k] + 0.5));
  const max = logits[decided];
  const exp = { positive: Math.exp(logits.positive - max), negative: Math.exp(logits.negative - max), mixed: Math.exp(logits.mixed - max), neutral: Math.exp(logits.neutral - max) };
  const sum = exp.positive + exp.negative + exp.mixed + exp.neutral;
  return { positive: exp.positive / sum, negative: exp.negative / sum, mixed: exp.mixed / sum, neutral: exp.neutral / sum };
}
