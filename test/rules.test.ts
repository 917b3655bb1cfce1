/**
 * Rule packs as a specification: the pattern language, pack validation and
 * its error paths, extending the built-in themes with your own, overrides,
 * evidence, the polarity machinery of the built-in packs, safety of untrusted
 * pack JSON, and matching that stays linear with hostile packs.
 *
 * Sentences are written the way Ofsted children's services inspection reports
 * write them. Expectations follow ../shared/ANNOTATION.md; where the rules
 * alone get a case wrong, the test keeps the correct expectation and is marked
 * `it.fails` as a documented weakness of the rules-only system.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUILTIN_RULE_PACKS,
  CORE_THEMES,
  EvidenceSchema,
  OfstedFindingsError,
  RULE_PACK_LIMITS,
  RulePackError,
  analyseSentence,
  compileRulePacks,
  createClassifier,
  createRuleClassifier,
  defineRulePack,
  parseRulePack,
  tokenize,
  type Evidence,
  type FindingResult,
  type RulePack,
} from '../src/index.js';
import { matchTokens } from '../src/rules/match.js';
import { tokenizeTransient } from '../src/rules/tokens.js';
import { fromPrecompiled, toPrecompiled } from '../src/rules/precompiled.js';
import { loadSeedDocuments } from '../src/corpus/files.js';

// ---------------------------------------------------------------------------
// Helpers

/** A one-rule pack with its own theme, so the pattern is tested in isolation. */
function specPack(patterns: string[], id = 'spec'): RulePack {
  return {
    id,
    version: '1.0.0',
    description: 'pattern specification',
    themes: [{ id: `${id}-theme`, label: 'Spec', description: 'pattern under test' }],
    rules: [{ id: `${id}.rule`, target: { theme: `${id}-theme` }, patterns, weight: 1 }],
  };
}

/** The texts that `patterns` matches in `sentence`, through compileRulePacks + tokenize + matchTokens. */
function matches(patterns: string[], sentence: string): string[] {
  const compiled = compileRulePacks([specPack(patterns)]);
  const tokens = tokenize(sentence);
  return matchTokens(compiled, tokens).map((hit) => sentence.slice(tokens[hit.tokenStart]!.start, tokens[hit.tokenEnd - 1]!.end));
}

/** The error thrown by `fn`, which must be a RulePackError. */
function rulePackError(fn: () => unknown): RulePackError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RulePackError);
    expect(error).toBeInstanceOf(OfstedFindingsError);
    return error as RulePackError;
  }
  throw new Error('expected a RulePackError, but nothing was thrown');
}

/** A small valid pack to mutate in validation tests. */
function validPack(): Record<string, unknown> {
  return {
    id: 'local-pack',
    version: '1.0.0',
    description: 'Local authority priorities',
    themes: [{ id: 'voice-of-the-child', label: 'Voice of the child', description: "children's views heard" }],
    rules: [{ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views of children', 'wishes and feelings'], weight: 3 }],
  };
}

function withRule(rule: Record<string, unknown>): Record<string, unknown> {
  return { ...validPack(), rules: [rule] };
}

function ruleEvidence(result: FindingResult, ruleId: string): Evidence[] {
  return result.evidence.filter((e) => e.kind === 'rule' && e.source === ruleId);
}

/** The README's minimal pack, byte for byte as documented. */
const README_PACK = `{ "id": "my-pack", "version": "1.0.0", "description": "Voice of the child",
  "themes": [{ "id": "voice-of-the-child", "label": "Voice of the child", "description": "children's views and wishes heard and acted on" }],
  "rules": [{ "id": "votc.views", "target": { "theme": "voice-of-the-child" },
              "patterns": ["views of children", "wishes and feelings"], "weight": 3 }] }`;

const VOTC_SENTENCE = "Social workers record children's wishes and feelings well.";

// ---------------------------------------------------------------------------
// 1. The pattern language

describe('the pattern language', () => {
  it('a bare word matches every word with the same Porter stem', () => {
    expect(matches(['record'], 'Decisions are recorded on the child’s file.')).toEqual(['recorded']);
    expect(matches(['record'], 'Records are up to date.')).toEqual(['Records']);
    expect(matches(['record'], 'Case recording is timely.')).toEqual(['recording']);
    expect(matches(['records'], 'Managers record their decisions.')).toEqual(['record']);
    expect(matches(['record'], 'Management oversight is evident.')).toEqual([]);
  });

  it('"=word" matches exactly that word, case-insensitively, and no other form of it', () => {
    expect(matches(['=records'], 'Case records are up to date.')).toEqual(['records']);
    expect(matches(['=records'], 'Records are up to date.')).toEqual(['Records']);
    expect(matches(['=records'], 'Decisions are recorded on the file.')).toEqual([]);
    expect(matches(['=records'], 'Managers record their decisions.')).toEqual([]);
  });

  it('"superv*" matches any word with that prefix', () => {
    expect(matches(['superv*'], 'Supervision is regular and reflective.')).toEqual(['Supervision']);
    expect(matches(['superv*'], 'Supervisors are knowledgeable.')).toEqual(['Supervisors']);
    expect(matches(['superv*'], 'Contact is well supervised.')).toEqual(['supervised']);
    expect(matches(['superv*'], 'Management oversight is evident.')).toEqual([]);
  });

  it('"a|b|=c" matches any one of its alternatives', () => {
    const pattern = ['police|health|=schools'];
    expect(matches(pattern, 'Information is shared promptly with the police.')).toEqual(['police']);
    expect(matches(pattern, 'Health visitors attend strategy meetings.')).toEqual(['Health']);
    expect(matches(pattern, 'Schools make appropriate referrals.')).toEqual(['Schools']);
    // "=schools" is exact, so the singular does not match.
    expect(matches(pattern, 'The school made a referral.')).toEqual([]);
  });

  it('alternatives work inside a longer pattern', () => {
    const pattern = ['strategy discussions|meetings ~2 police'];
    expect(matches(pattern, 'Strategy meetings with the police are timely.')).toEqual(['Strategy meetings with the police']);
    expect(matches(pattern, 'Strategy discussions with police are held promptly.')).toEqual(['Strategy discussions with police']);
  });

  it('"word?" is optional: the pattern matches with or without it', () => {
    const pattern = ['not always? evident'];
    expect(matches(pattern, 'Management oversight is not always evident on case records.')).toEqual(['not always evident']);
    expect(matches(pattern, 'Management oversight is not evident on case records.')).toEqual(['not evident']);
    // Optional means "may be absent", not "any word may stand here".
    expect(matches(pattern, 'Management oversight is not consistently evident.')).toEqual([]);
  });

  it('"~2" allows up to two arbitrary tokens between the words, and no more', () => {
    const pattern = ['serious ~2 concerns'];
    expect(matches(pattern, 'There are serious concerns about drift.')).toEqual(['serious concerns']);
    expect(matches(pattern, 'Inspectors identified serious and widespread concerns.')).toEqual(['serious and widespread concerns']);
    // Punctuation counts as a token: ", widespread" is two tokens.
    expect(matches(pattern, 'Inspectors identified serious, widespread concerns.')).toEqual(['serious, widespread concerns']);
    // Three tokens between is beyond the gap.
    expect(matches(pattern, 'Inspectors identified serious and very widespread concerns.')).toEqual([]);
  });

  it('"#" matches any number, including decimals and percentages', () => {
    const pattern = ['within # working days'];
    expect(matches(pattern, 'Assessments are completed within 45 working days.')).toEqual(['within 45 working days']);
    expect(matches(pattern, 'Initial assessments are completed within 7 working days.')).toEqual(['within 7 working days']);
    expect(matches(pattern, 'Assessments are completed within several working days.')).toEqual([]);
    expect(matches(['# of|per'], 'Only 12.5% of plans were reviewed on time.')).toEqual(['12.5% of']);
  });

  it('hyphenated words match part by part, so "multi-agency" also matches "multi agency"', () => {
    const pattern = ['multi-agency'];
    expect(matches(pattern, 'Multi-agency working is strong.')).toEqual(['Multi-agency']);
    expect(matches(pattern, 'Multi agency meetings are well attended.')).toEqual(['Multi agency']);
    expect(matches(pattern, 'The multi-agency safeguarding hub is effective.')).toEqual(['multi-agency']);
    // A closed-up spelling is a different word.
    expect(matches(pattern, 'Multiagency working is strong.')).toEqual([]);
    expect(matches(['up-to-date plan'], 'Ensure that all children have an up-to-date plan.')).toEqual(['up-to-date plan']);
  });

  it('an optional hyphenated word ("joint multi-agency? working") is either honoured or refused, never silently required', () => {
    // Either the optional hyphenated word works, or the pattern is refused; silently requiring it is wrong.
    const pattern = 'joint multi-agency? working';
    let refused = false;
    try {
      parseRulePack(withRule({ id: 'r', target: { theme: 'voice-of-the-child' }, patterns: [pattern], weight: 1 }));
    } catch {
      refused = true;
    }
    if (!refused) {
      expect(matches([pattern], 'Joint multi-agency working with health is effective.')).toEqual(['Joint multi-agency working']);
      expect(matches([pattern], 'Joint working with health is effective.')).toEqual(['Joint working']);
    }
  });

  it('punctuation marks are pattern elements that match punctuation tokens', () => {
    expect(matches(['however ,'], 'However, the quality of plans is variable.')).toEqual(['However,']);
    expect(matches(['however ,'], 'However the quality of plans is variable.')).toEqual([]);
    expect(matches(['( lado )'], 'The designated officer (LADO) responds promptly.')).toEqual(['(LADO)']);
    expect(matches(['strengths :'], 'Key strengths: leadership is strong.')).toEqual(['strengths:']);
  });

  it('matching is case-insensitive and ignores a possessive "\'s"', () => {
    expect(matches(['children views'], "The Children's views are recorded.")).toEqual(["Children's views"]);
    expect(matches(['MASH'], 'The MASH is well established.')).toEqual(['MASH']);
  });

  it('the same matches come out of analyseSentence as evidence with the rule id', () => {
    const compiled = compileRulePacks([specPack(['not always? evident'], 'spec-evidence')]);
    const sentence = 'Management oversight is not always evident on case records.';
    const analysis = analyseSentence(compiled, sentence);
    expect(analysis.evidence).toEqual([
      { source: 'spec-evidence.rule', kind: 'rule', target: 'theme:spec-evidence-theme', text: 'not always evident', span: { start: 24, end: 42 }, weight: 1 },
    ]);
    expect(analysis.themeScores.get('spec-evidence-theme')).toBe(1);
  });

  describe('invalid patterns are rejected by parseRulePack with the path to the pattern', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['a gap above ~5', 'serious ~9 concerns', /a gap is ~1 to ~5/],
      ['a gap of ~0', 'serious ~0 concerns', /a gap is ~1 to ~5/],
      ['a gap alone', '~9', /gap/],
      ['a pattern starting with a gap', '~1 start', /cannot start or end with a gap/],
      ['a pattern ending with a gap', 'start ~1', /cannot start or end with a gap/],
      ['an empty alternative', 'a||b', /empty alternative/],
      ['exact and prefix at once', '=x*', /either = \(exact\) or \* \(prefix\)/],
      ['a whitespace-only pattern', '   ', /empty/],
      ['a one-letter prefix', 'p*', /at least 2 letters/],
      ['only optional elements', 'always?', /at least one element that is not optional/],
      ['a regular expression', 'supervis(ion|or)', /expected a word/],
      ['a hyphenated word among alternatives', 'joint|multi-agency', /hyphenated/],
    ];
    it.each(cases)('%s (%j)', (_label, pattern, message) => {
      const error = rulePackError(() => parseRulePack(withRule({ id: 'r', target: { theme: 'voice-of-the-child' }, patterns: ['views of children', pattern], weight: 1 })));
      expect(error.code).toBe('PATTERN_INVALID');
      expect(error.message).toContain('rules.0.patterns.1');
      expect(error.message).toMatch(message);
      expect(error.path).toEqual(['rules', 0, 'patterns', 1]);
    });

    it('an empty string pattern is rejected by the schema, with the same path', () => {
      const error = rulePackError(() => parseRulePack(withRule({ id: 'r', target: { theme: 'voice-of-the-child' }, patterns: ['views of children', ''], weight: 1 })));
      expect(error.code).toBe('PACK_INVALID');
      expect(error.message).toContain('rules.0.patterns.1');
      expect(error.path).toEqual(['rules', 0, 'patterns', 1]);
    });

    it('a two-letter prefix is the shortest accepted', () => {
      expect(() => parseRulePack(withRule({ id: 'r', target: { theme: 'voice-of-the-child' }, patterns: ['pr*'], weight: 1 }))).not.toThrow();
      expect(() => parseRulePack(withRule({ id: 'r', target: { theme: 'voice-of-the-child' }, patterns: ['pre*'], weight: 1 }))).not.toThrow();
    });

    it('the error names the offending rule and pattern, not the first one', () => {
      const pack = validPack();
      pack.rules = [
        { id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views of children'], weight: 3 },
        { id: 'votc.direct-work', target: { theme: 'voice-of-the-child' }, patterns: ['direct work', 'life story work', 'advoca* ~9 children'], weight: 2 },
      ];
      const error = rulePackError(() => parseRulePack(pack));
      expect(error.path).toEqual(['rules', 1, 'patterns', 2]);
      expect(error.message).toContain('rules.1.patterns.2');
    });
  });
});

// ---------------------------------------------------------------------------
// 2. Validation

describe('rule pack validation', () => {
  it('accepts a valid pack and returns it as data', () => {
    const pack = parseRulePack(validPack());
    expect(pack.id).toBe('local-pack');
    expect(pack.rules?.[0]?.patterns).toEqual(['views of children', 'wishes and feelings']);
    expect(defineRulePack(validPack() as RulePack).id).toBe('local-pack');
  });

  it('rejects a misspelt key ("pattern" for "patterns"), naming the path and what was expected', () => {
    const error = rulePackError(() => parseRulePack(withRule({ id: 'votc.views', target: { theme: 'voice-of-the-child' }, pattern: ['views of children'], weight: 3 })));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('rules.0.patterns');
    expect(error.message).toMatch(/expected array/);
    expect(error.path).toEqual(['rules', 0, 'patterns']);
  });

  it('rejects an unknown key even when every required key is present', () => {
    const error = rulePackError(() =>
      parseRulePack(withRule({ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views of children'], weight: 3, notes: 'from the 2023 ILACS' })),
    );
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('rules.0');
    expect(error.message).toMatch(/Unrecognized key.*"notes"/);
    expect(error.path).toEqual(['rules', 0]);
  });

  it('rejects an unknown top-level key at the root', () => {
    const error = rulePackError(() => parseRulePack({ ...validPack(), author: 'Quality assurance team' }));
    expect(error.message).toMatch(/\(root\).*Unrecognized key.*"author"/);
    expect(error.path).toEqual([]);
  });

  it('rejects wrong types, naming the field and the expected type', () => {
    const weightAsText = rulePackError(() => parseRulePack(withRule({ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views of children'], weight: '3' })));
    expect(weightAsText.message).toMatch(/rules\.0\.weight.*expected number, received string/);
    expect(weightAsText.path).toEqual(['rules', 0, 'weight']);

    const patternsAsText = rulePackError(() => parseRulePack(withRule({ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: 'views of children', weight: 3 })));
    expect(patternsAsText.message).toMatch(/rules\.0\.patterns.*expected array, received string/);

    const themesAsObject = rulePackError(() => parseRulePack({ ...validPack(), themes: { id: 'voice-of-the-child' } }));
    expect(themesAsObject.path).toEqual(['themes']);

    const notAnObject = rulePackError(() => parseRulePack(42));
    expect(notAnObject.code).toBe('PACK_INVALID');
  });

  it('rejects a weight outside -100..100 and a non-finite weight', () => {
    const tooBig = rulePackError(() => parseRulePack(withRule({ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views of children'], weight: 1000 })));
    expect(tooBig.message).toMatch(/rules\.0\.weight.*<=100/);
    expect(tooBig.path).toEqual(['rules', 0, 'weight']);
    const tooSmall = rulePackError(() => parseRulePack(withRule({ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views of children'], weight: -101 })));
    expect(tooSmall.path).toEqual(['rules', 0, 'weight']);
    const overrideWeight = rulePackError(() => parseRulePack({ ...validPack(), overrides: [{ rule: 'polarity.positive.adequate', weight: 250 }] }));
    expect(overrideWeight.path).toEqual(['overrides', 0, 'weight']);
    expect(() => parseRulePack(withRule({ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views'], weight: 100 }))).not.toThrow();
  });

  it('rejects a target that is not exactly one of theme, polarity, cue or finding', () => {
    for (const target of [{ polarity: 'great' }, { theme: 'voice-of-the-child', polarity: 'positive' }, { cue: 'sarcasm' }, {}]) {
      const error = rulePackError(() => parseRulePack(withRule({ id: 'r', target, patterns: ['views'], weight: 1 })));
      expect(error.path).toEqual(['rules', 0, 'target']);
    }
  });

  it('rejects ids outside letters, digits and . _ : -', () => {
    const error = rulePackError(() => parseRulePack(withRule({ id: 'votc views!', target: { theme: 'voice-of-the-child' }, patterns: ['views'], weight: 1 })));
    expect(error.path).toEqual(['rules', 0, 'id']);
    expect(error.message).toMatch(/letters, digits/);
  });

  it('a rule may target a theme defined by another loaded pack', () => {
    const pack = { id: 'recording-extras', version: '1.0.0', description: '', rules: [{ id: 'rec.chronology', target: { theme: 'recording' }, patterns: ['chronolog*'], weight: 3 }] };
    const result = createRuleClassifier({ rulePacks: [parseRulePack(pack)] }).classify('Chronologies are not up to date on most case files.');
    expect(ruleEvidence(result, 'rec.chronology').map((e) => e.text)).toEqual(['Chronologies']);
  });

  it('a rule targeting a theme no loaded pack defines passes parseRulePack but fails compilation with UNKNOWN_THEME', () => {
    const pack = withRule({ id: 'votc.views', target: { theme: 'voice-of-child' }, patterns: ['views of children'], weight: 3 });
    expect(() => parseRulePack(pack)).not.toThrow();
    const error = rulePackError(() => compileRulePacks([pack as RulePack]));
    expect(error.code).toBe('UNKNOWN_THEME');
    expect(error.message).toContain('votc.views');
    expect(error.message).toContain('voice-of-child');
    expect(rulePackError(() => createRuleClassifier({ rulePacks: [pack as RulePack] })).code).toBe('UNKNOWN_THEME');
  });

  it('extending a built-in pack by id works, with or without the "ofsted-findings:" prefix', () => {
    for (const parent of ['polarity', 'ofsted-findings:polarity']) {
      const pack = parseRulePack({ ...validPack(), id: `child-of-${parent.replace(':', '-')}`, extends: parent });
      expect(() => createRuleClassifier({ rulePacks: [pack] })).not.toThrow();
    }
  });

  it('extending a pack that is not loaded fails with PACK_UNKNOWN_PARENT', () => {
    const error = rulePackError(() => compileRulePacks([...BUILTIN_RULE_PACKS, { ...validPack(), extends: ['core-themes', 'regional-pack'] } as RulePack]));
    expect(error.code).toBe('PACK_UNKNOWN_PARENT');
    expect(error.message).toContain('regional-pack');
    expect(error.path).toEqual(['extends', 1]);
  });

  it('packs that extend each other in a cycle fail with PACK_CYCLE', () => {
    const a = { id: 'pack-a', version: '1', description: '', extends: 'pack-b' };
    const b = { id: 'pack-b', version: '1', description: '', extends: 'pack-a' };
    const error = rulePackError(() => compileRulePacks([a, b]));
    expect(error.code).toBe('PACK_CYCLE');
    expect(error.message).toMatch(/pack-a → pack-b → pack-a/);
    const self = { id: 'pack-self', version: '1', description: '', extends: 'pack-self' };
    expect(rulePackError(() => compileRulePacks([self])).code).toBe('PACK_CYCLE');
  });

  it('an override naming a rule no loaded pack defines fails with OVERRIDE_UNKNOWN_RULE', () => {
    const pack = { id: 'local-overrides', version: '1', description: '', overrides: [{ rule: 'polarity.positive.adequate', weight: 0.5 }, { rule: 'polarity.positive.adequat', enabled: false }] };
    const error = rulePackError(() => createRuleClassifier({ rulePacks: [pack] }));
    expect(error.code).toBe('OVERRIDE_UNKNOWN_RULE');
    expect(error.message).toContain('polarity.positive.adequat"');
    expect(error.path).toEqual(['overrides', 1, 'rule']);
  });

  it('text that is not JSON fails with PACK_NOT_JSON', () => {
    const error = rulePackError(() => parseRulePack('{ "id": "my-pack", "version": "1.0.0", ', 'my-pack.json'));
    expect(error.code).toBe('PACK_NOT_JSON');
    expect(error.message).toMatch(/^my-pack\.json is not valid JSON/);
    expect(rulePackError(() => parseRulePack('')).code).toBe('PACK_NOT_JSON');
  });

  it('pack text over the 1 MB limit fails with PACK_TOO_LARGE before it is parsed', () => {
    const big = JSON.stringify({ ...validPack(), description: 'x'.repeat(RULE_PACK_LIMITS.packBytes) });
    const error = rulePackError(() => parseRulePack(big));
    expect(error.code).toBe('PACK_TOO_LARGE');
    // Even text that is not JSON is refused for its size first.
    expect(rulePackError(() => parseRulePack('{'.repeat(RULE_PACK_LIMITS.packBytes + 1))).code).toBe('PACK_TOO_LARGE');
  });

  it('more than 20,000 patterns in a pack fail with PACK_TOO_LARGE', () => {
    const rules = Array.from({ length: 201 }, (_, i) => ({ id: `bulk.${i}`, target: { theme: 'voice-of-the-child' }, patterns: Array.from({ length: 100 }, (_, j) => `word${j}`), weight: 1 }));
    const error = rulePackError(() => parseRulePack({ ...validPack(), rules }));
    expect(error.code).toBe('PACK_TOO_LARGE');
    expect(error.path).toEqual(['rules']);
  });

  it('the 1 MB pack limit counts UTF-8 bytes, so a 1.2 MB pack of accented words is refused even though it is under a million characters', () => {
    // 3,000 patterns of 199 "é" each: ~624,000 characters but ~1.22 MB of UTF-8.
    const rules = Array.from({ length: 300 }, (_, i) => ({ id: `accents.${i}`, target: { theme: 'voice-of-the-child' }, patterns: Array.from({ length: 10 }, () => 'é'.repeat(199)), weight: 1 }));
    const text = JSON.stringify({ ...validPack(), rules });
    expect(text.length).toBeLessThan(RULE_PACK_LIMITS.packBytes);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(RULE_PACK_LIMITS.packBytes);
    const error = rulePackError(() => parseRulePack(text));
    expect(error.code).toBe('PACK_TOO_LARGE');
  });
});

// ---------------------------------------------------------------------------
// 3. Your own theme: the README's minimal pack

describe('the README pack (voice of the child)', () => {
  it('is accepted exactly as written', () => {
    const pack = parseRulePack(README_PACK, 'my-pack.json');
    expect(pack).toEqual(JSON.parse(README_PACK));
  });

  it('createClassifier tags the README sentence with voice-of-the-child, with evidence for votc.views', () => {
    const classifier = createClassifier({ rulePacks: [parseRulePack(README_PACK)] });
    const result = classifier.classify(VOTC_SENTENCE);
    expect(result.isFinding).toBe(true);
    const theme = result.themes.find((t) => t.theme === 'voice-of-the-child');
    expect(theme).toBeDefined();
    const start = VOTC_SENTENCE.indexOf('wishes and feelings');
    const expected: Evidence = { source: 'votc.views', kind: 'rule', target: 'theme:voice-of-the-child', text: 'wishes and feelings', span: { start, end: start + 'wishes and feelings'.length }, weight: 3 };
    expect(theme!.evidence).toContainEqual(expected);
    expect(result.evidence).toContainEqual(expected);
  });

  it('the classifier knows the new theme and the five built-in ones', () => {
    const classifier = createClassifier({ rulePacks: [parseRulePack(README_PACK)] });
    const ids = classifier.themes.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining([...CORE_THEMES, 'voice-of-the-child']));
    expect(ids).toHaveLength(6);
    expect(classifier.themes.find((t) => t.id === 'voice-of-the-child')).toEqual({
      id: 'voice-of-the-child',
      label: 'Voice of the child',
      description: "children's views and wishes heard and acted on",
    });
  });

  it('built-in themes still work on other sentences', () => {
    const classifier = createClassifier({ rulePacks: [parseRulePack(README_PACK)] });
    const oversight = classifier.classify('Management oversight is not always evident on case records.');
    expect(oversight.themes.map((t) => t.theme)).toEqual(expect.arrayContaining(['supervision', 'recording']));
    expect(oversight.themes.map((t) => t.theme)).not.toContain('voice-of-the-child');
    expect(oversight.polarity).toBe('negative');
    const caseloads = classifier.classify('Caseloads are high and staff turnover remains a concern.');
    expect(caseloads.themes.map((t) => t.theme)).toContain('workforce');
  });

  it('the rules-only classifier also tags the new theme', () => {
    const result = createRuleClassifier({ rulePacks: [parseRulePack(README_PACK)] }).classify('The views of children are routinely sought and recorded in their plans.');
    expect(result.themes.map((t) => t.theme)).toContain('voice-of-the-child');
    expect(ruleEvidence(result, 'votc.views').map((e) => e.text)).toEqual(['views of children']);
  });
});

// ---------------------------------------------------------------------------
// 4. Overrides

describe('overrides', () => {
  const ADEQUATE = 'The quality of core and initial assessments is adequate.';

  it('the built-in "adequate" rule fires on a 2010-era letter sentence', () => {
    const result = createRuleClassifier().classify(ADEQUATE);
    expect(ruleEvidence(result, 'polarity.positive.adequate')).toEqual([
      { source: 'polarity.positive.adequate', kind: 'rule', target: 'polarity:positive', text: 'adequate', span: { start: 47, end: 55 }, weight: 1 },
    ]);
  });

  it('disabling a built-in rule by id removes its evidence', () => {
    const pack = parseRulePack({ id: 'no-adequate', version: '1.0.0', description: 'No cue from "adequate"', overrides: [{ rule: 'polarity.positive.adequate', enabled: false }] });
    const result = createRuleClassifier({ rulePacks: [pack] }).classify(ADEQUATE);
    expect(ruleEvidence(result, 'polarity.positive.adequate')).toEqual([]);
    // With no polarity cue left, the finding reads as plainly stated practice: positive.
    expect(result.polarity).toBe('positive');
  });

  it('disabling a rule and adding a neutral cue in its place reads "adequate" as neutral', () => {
    const pack = parseRulePack({
      id: 'adequate-neutral', version: '1.0.0', description: 'Treat "adequate" as neutral',
      overrides: [{ rule: 'polarity.positive.adequate', enabled: false }],
      rules: [{ id: 'adequate.neutral', target: { polarity: 'neutral' }, patterns: ['=adequate'], weight: 1 }],
    });
    const result = createRuleClassifier({ rulePacks: [pack] }).classify(ADEQUATE);
    expect(ruleEvidence(result, 'adequate.neutral')).toHaveLength(1);
    expect(result.polarity).toBe('neutral');
  });

  it('changing a rule\'s weight changes the weight of its evidence', () => {
    const pack = parseRulePack({ id: 'half-adequate', version: '1.0.0', description: '', overrides: [{ rule: 'polarity.positive.adequate', weight: 0.5 }] });
    const result = createRuleClassifier({ rulePacks: [pack] }).classify(ADEQUATE);
    expect(ruleEvidence(result, 'polarity.positive.adequate').map((e) => e.weight)).toEqual([0.5]);
  });

  it('an override can re-enable a rule that an earlier pack disabled', () => {
    const off = { id: 'adequate-off', version: '1', description: '', overrides: [{ rule: 'polarity.positive.adequate', enabled: false }] };
    const on = { id: 'adequate-on', version: '1', description: '', extends: 'adequate-off', overrides: [{ rule: 'polarity.positive.adequate', enabled: true }] };
    const result = createRuleClassifier({ rulePacks: [off, on] }).classify(ADEQUATE);
    expect(ruleEvidence(result, 'polarity.positive.adequate')).toHaveLength(1);
  });

  it('overrides do not change the built-in packs for other classifiers', () => {
    createRuleClassifier({ rulePacks: [{ id: 'adequate-off-2', version: '1', description: '', overrides: [{ rule: 'polarity.positive.adequate', enabled: false }] }] });
    expect(ruleEvidence(createRuleClassifier().classify(ADEQUATE), 'polarity.positive.adequate')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// 5. Evidence

const FINDINGS = [
  'Management oversight is not always evident on case records.',
  'Case recording is clear and the majority of records are up-to-date.',
  'Recording systems used by the service do not clearly reflect any assessment of risk.',
  'Improve the ICS system making it easier for staff to use.',
  'Thresholds for access to services are clearly understood by partner agencies.',
  'Caseloads are high and staff turnover remains a concern.',
  'Strategy discussions are not always held with the police.',
  'Multi-agency working is strong.',
  "Social workers record children's wishes and feelings well.",
  'The local authority should ensure that thresholds are consistently applied.',
  'Supervision is regular and reflective, but it is not always recorded.',
];

function checkEvidence(result: FindingResult, sentence: string, ruleIds: ReadonlySet<string>): void {
  for (const e of result.evidence) {
    expect(EvidenceSchema.safeParse(e).success).toBe(true);
    if (e.kind !== 'rule') continue;
    expect(ruleIds.has(e.source)).toBe(true);
    expect(e.target).toMatch(/^(theme|polarity|cue|finding):/);
    expect(Number.isFinite(e.weight)).toBe(true);
    expect(e.weight).not.toBe(0);
    expect(e.span).toBeDefined();
    expect(e.span!.start).toBeLessThan(e.span!.end);
    expect(e.span!.end).toBeLessThanOrEqual(sentence.length);
    expect(e.text).toBe(sentence.slice(e.span!.start, e.span!.end));
  }
  for (const t of result.themes) for (const e of t.evidence) expect(e.target).toBe(`theme:${t.theme}`);
}

describe('evidence', () => {
  const pack = parseRulePack(README_PACK);
  const classifier = createRuleClassifier({ rulePacks: [pack] });
  const compiled = compileRulePacks([...BUILTIN_RULE_PACKS, pack]);
  const ruleIds = new Set(compiled.rules.map((r) => r.id));
  const targetOf = new Map(compiled.rules.map((r) => [r.id, r.targetKey]));

  it.each(FINDINGS)('every rule hit in %j has its rule id, target, matched text, span and weight', (sentence) => {
    const result = classifier.classify(sentence);
    expect(result.evidence.some((e) => e.kind === 'rule')).toBe(true);
    checkEvidence(result, sentence, ruleIds);
    for (const e of result.evidence) expect(e.target).toBe(targetOf.get(e.source));
  });

  it('a negated cue keeps its rule id but carries the opposite sign', () => {
    const result = classifier.classify('Plans are not effective.');
    const effective = ruleEvidence(result, 'polarity.positive.good');
    expect(effective).toEqual([{ source: 'polarity.positive.good', kind: 'rule', target: 'polarity:positive', text: 'effective', span: { start: 14, end: 23 }, weight: -1.5 }]);
  });

  it('heading rules give evidence whose text is the heading, with no span in the sentence', () => {
    const result = classifier.classify('Chronologies are not used consistently.', { section: 'Areas for development' });
    const heading = ruleEvidence(result, 'polarity.heading.improvement');
    expect(heading).toEqual([{ source: 'polarity.heading.improvement', kind: 'rule', target: 'polarity:negative', text: 'Areas for development', weight: 1 }]);
  });

  it('the invariants hold for any sentence assembled from report fragments, with any spacing and case (property)', () => {
    const fragment = fc.constantFrom(
      'Management oversight',
      'is not always evident',
      'on case records',
      'although',
      'caseloads are manageable',
      'multi-agency',
      'strategy discussions',
      "children's wishes and feelings",
      'are recorded',
      'thresholds are well understood',
      'ensure that',
      '(LADO)',
      '45 working days',
      ';',
      ',',
      'variable',
      'superficial',
      'and',
    );
    const separator = fc.constantFrom(' ', '  ', '\n', ' – ', ', ');
    fc.assert(
      fc.property(fc.array(fc.tuple(fragment, separator), { minLength: 1, maxLength: 12 }), fc.boolean(), (parts, upper) => {
        let sentence = parts.map(([f, s]) => f + s).join('').trim() + '.';
        if (upper) sentence = sentence.toUpperCase();
        checkEvidence(classifier.classify(sentence), sentence, ruleIds);
      }),
      { numRuns: 300, seed: 20240601 },
    );
  });
});

// ---------------------------------------------------------------------------
// 6. The polarity machinery of the built-in packs (rules only)

describe('polarity with the rules alone', () => {
  const rules = createRuleClassifier();
  const classify = (text: string, section?: string) => rules.classify(text, section === undefined ? undefined : { section });
  const cues = (result: FindingResult, target: string) => result.evidence.filter((e) => e.target === target).map((e) => e.text);

  it('negation: "not effective" is negative, and the negated praise counts against', () => {
    const result = classify('Plans are not effective.');
    expect(result.isFinding).toBe(true);
    expect(result.polarity).toBe('negative');
    expect(cues(result, 'cue:negator')).toEqual(['not']);
  });

  it('hedge: "not always regular" is negative', () => {
    const result = classify('Supervision is not always regular.');
    expect(result.polarity).toBe('negative');
    expect(cues(result, 'cue:hedge')).toEqual(['not always']);
    expect(result.themes.map((t) => t.theme)).toEqual(['supervision']);
  });

  it('hedge: "variable" quality is negative', () => {
    const result = classify('The quality of assessments is variable.');
    expect(result.polarity).toBe('negative');
    expect(cues(result, 'cue:hedge')).toEqual(['variable']);
  });

  it('hedge: "not always" in a sentence that also names the themes', () => {
    const result = classify('Strategy discussions are not always held with the police.');
    expect(result.polarity).toBe('negative');
    expect(result.themes.map((t) => t.theme)).toEqual(['multi-agency']);
  });

  it('contrast: praise and a shortfall in clauses split by "but" is mixed', () => {
    const result = classify('Supervision is regular and reflective, but it is not always recorded.');
    expect(result.polarity).toBe('mixed');
    expect(cues(result, 'cue:contrast')).toEqual(['but']);
  });

  // Known weakness of rules-only: "remains below statistical neighbours" has no
  // negative cue in the built-in packs, so the sentence reads as positive.
  // ANNOTATION.md §3 gives this very sentence as its example of `mixed`.
  it('contrast: "improved considerably, although it remains below statistical neighbours" is mixed', () => {
    const result = classify('Performance has improved considerably, although it remains below statistical neighbours.');
    expect(cues(result, 'cue:contrast')).toEqual(['although']);
    expect(result.polarity).toBe('mixed');
  });

  it('recommendation: an imperative "Ensure that …" is negative, with a recommendation cue', () => {
    const result = classify('Ensure that all children have an up-to-date plan.');
    expect(result.isFinding).toBe(true);
    expect(result.polarity).toBe('negative');
    expect(cues(result, 'cue:recommendation')).toEqual(['Ensure']);
  });

  it('recommendation: "The local authority should …" is negative even when it names a quality', () => {
    const result = classify('The local authority should ensure that thresholds are consistently applied.');
    expect(result.polarity).toBe('negative');
    expect(result.themes.map((t) => t.theme)).toEqual(['thresholds']);
  });

  it('recommendation: "Improve the …" is negative although "improve" shares a stem with praise', () => {
    expect(classify('Improve the ICS system making it easier for staff to use.').polarity).toBe('negative');
  });

  it('"adequate" in a 2010 letter means meeting requirements: positive', () => {
    const result = classify('The quality of core and initial assessments is adequate.');
    expect(result.isFinding).toBe(true);
    expect(result.polarity).toBe('positive');
  });

  it('plain praise is positive', () => {
    expect(classify('Case recording is clear and the majority of records are up-to-date.').polarity).toBe('positive');
    expect(classify('Multi-agency working is strong.').polarity).toBe('positive');
  });

  it('a negated weakness ("not" + "clearly") is still a shortfall', () => {
    expect(classify('Recording systems used by the service do not clearly reflect any assessment of risk.').polarity).toBe('negative');
  });

  // Known weakness of rules-only: "adequate" qualified by a shortfall after a
  // contrast marker should no longer be positive (ANNOTATION.md §3: "positive
  // unless qualified by a shortfall"); the rules read "lack" only as a negator
  // with nothing to negate, so the sentence stays positive.
  it('"adequate, although some lack analysis" is no longer positive', () => {
    const result = classify('The quality of core and initial assessments is adequate, although some lack analysis.');
    expect(['mixed', 'negative']).toContain(result.polarity);
  });

  // Known weakness of rules-only: a negator with no polar cue after it ("no
  // evidence of management oversight") adds nothing, so an absence of practice
  // reads as neutral rather than as the shortfall it reports.
  it('"no evidence of management oversight" is negative', () => {
    expect(classify('There is no evidence of management oversight on case files.').polarity).toBe('negative');
  });

  // Known weakness of rules-only: a negated weakness ("no delays") scores only
  // half weight, too little to make the sentence a finding at all.
  it('"There are no delays in allocating cases." is a positive finding', () => {
    const result = classify('There are no delays in allocating cases.');
    expect(result.isFinding).toBe(true);
    expect(result.polarity).toBe('positive');
  });

  // Known weakness of rules-only: "high" morale and "manageable" caseloads are
  // not polar cues in the built-in packs ("high" is only negative before
  // "caseloads"), so clear praise of the workforce reads as neutral.
  it('"Staff morale is high and caseloads are manageable." is positive', () => {
    expect(classify('Staff morale is high and caseloads are manageable.').polarity).toBe('positive');
  });

  it('the heading is evidence, not the answer: a mixed sentence under "Strengths" stays mixed', () => {
    const result = classify('Supervision is regular and reflective, but it is not always recorded.', 'Strengths');
    expect(result.polarity).toBe('mixed');
  });

  it('polarity scores always sum to 1', () => {
    for (const s of FINDINGS) {
      const { positive, negative, mixed, neutral } = classify(s).polarityScores;
      expect(positive + negative + mixed + neutral).toBeCloseTo(1, 10);
    }
  });
});

// ---------------------------------------------------------------------------
// 7. Safety of untrusted pack JSON

describe('safety: packs are data, never code', () => {
  let prototypeBefore: Array<[string | symbol, PropertyDescriptor]>;
  const snapshot = () => Reflect.ownKeys(Object.prototype).map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)!] as [string | symbol, PropertyDescriptor]);
  const pwned = join(tmpdir(), `ofsted-findings-rules-test-${process.pid}.txt`);

  beforeEach(() => {
    prototypeBefore = snapshot();
  });
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(snapshot()).toEqual(prototypeBefore);
    expect(existsSync(pwned)).toBe(false);
    rmSync(pwned, { force: true });
  });

  const THEME = '{"id":"voice-of-the-child","label":"Voice of the child","description":"views"}';
  const RULE = '"id":"votc.views","target":{"theme":"voice-of-the-child"},"patterns":["wishes and feelings"],"weight":3';
  const hostile: Array<[string, string]> = [
    ['__proto__ at the top level', `{"id":"p","version":"1","description":"d","__proto__":{"polluted":true}}`],
    ['constructor.prototype at the top level', `{"id":"p","version":"1","description":"d","constructor":{"prototype":{"polluted":true}}}`],
    ['prototype at the top level', `{"id":"p","version":"1","description":"d","prototype":{"polluted":true}}`],
    ['__proto__ in a rule', `{"id":"p","version":"1","description":"d","themes":[${THEME}],"rules":[{${RULE},"__proto__":{"polluted":true}}]}`],
    ['__proto__ in a target', `{"id":"p","version":"1","description":"d","themes":[${THEME}],"rules":[{"id":"r","target":{"theme":"voice-of-the-child","__proto__":{"polluted":true}},"patterns":["views"],"weight":1}]}`],
    ['__proto__ as the whole target', `{"id":"p","version":"1","description":"d","rules":[{"id":"r","target":{"__proto__":{"polluted":true,"theme":"x"}},"patterns":["views"],"weight":1}]}`],
    ['__proto__ in a scope', `{"id":"p","version":"1","description":"d","themes":[${THEME}],"rules":[{${RULE},"scope":{"__proto__":{"polluted":true}}}]}`],
    ['__proto__ in a theme', `{"id":"p","version":"1","description":"d","themes":[{"id":"t","label":"T","description":"","__proto__":{"polluted":true}}]}`],
    ['constructor in a theme', `{"id":"p","version":"1","description":"d","themes":[{"id":"t","label":"T","description":"","constructor":{"prototype":{"polluted":true}}}]}`],
    ['__proto__ in an override', `{"id":"p","version":"1","description":"d","overrides":[{"rule":"polarity.positive.adequate","__proto__":{"polluted":true}}]}`],
    ['__proto__ as a pack id', `{"id":"__proto__","version":"1","description":"d"}`],
    ['__proto__ as a theme id', `{"id":"p","version":"1","description":"d","themes":[{"id":"__proto__","label":"T","description":""}]}`],
    ['__proto__ as a rule id', `{"id":"p","version":"1","description":"d","themes":[${THEME}],"rules":[{"id":"__proto__","target":{"theme":"voice-of-the-child"},"patterns":["views"],"weight":1}]}`],
    ['__proto__ as a target theme', `{"id":"p","version":"1","description":"d","rules":[{"id":"r","target":{"theme":"__proto__"},"patterns":["views"],"weight":1}]}`],
    ['__proto__ as a parent', `{"id":"p","version":"1","description":"d","extends":"__proto__"}`],
    ['__proto__ as a pattern', `{"id":"p","version":"1","description":"d","themes":[${THEME}],"rules":[{"id":"r","target":{"theme":"voice-of-the-child"},"patterns":["__proto__"],"weight":1}]}`],
    ['toString and valueOf as keys', `{"id":"p","version":"1","description":"d","toString":"require('fs')","valueOf":"process.exit(1)"}`],
    ['toJSON as a key', `{"id":"p","version":"1","description":"d","toJSON":"require('fs')"}`],
  ];

  it.each(hostile)('%s is rejected as invalid, with nothing polluted', (_label, text) => {
    expect(text).toMatch(/__proto__|constructor|prototype|toString|toJSON/);
    const error = rulePackError(() => parseRulePack(text));
    expect(['PACK_INVALID', 'PATTERN_INVALID']).toContain(error.code);
    // The same object handed straight to the compiler is rejected the same way.
    expect(rulePackError(() => compileRulePacks([JSON.parse(text) as RulePack])).code).toBe(error.code);
  });

  it('"constructor", "prototype", "toString", "valueOf" and "hasOwnProperty" are ordinary theme, rule and pack ids', () => {
    const names = ['constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
    const text = JSON.stringify({
      id: 'constructor',
      version: '1.0.0',
      description: "require('fs').writeFileSync(" + JSON.stringify(pwned) + ", 'x')",
      themes: names.map((id) => ({ id, label: '${process.exit(1)}', description: "eval(\"require('child_process').execSync('touch " + pwned + "')\")" })),
      rules: names.map((id) => ({ id, target: { theme: id }, patterns: ['supervision', 'function', 'require', 'eval'], weight: 3, description: '() => { throw new Error("executed") }' })),
    });
    const pack = parseRulePack(text);
    const classifier = createRuleClassifier({ rulePacks: [pack] });
    expect(classifier.themes.map((t) => t.id)).toEqual(expect.arrayContaining(names));
    // Strings stay strings, verbatim.
    expect(classifier.themes.find((t) => t.id === 'toString')!.label).toBe('${process.exit(1)}');
    const result = classifier.classify('Supervision is regular and reflective.');
    expect(result.themes.map((t) => t.theme)).toEqual(expect.arrayContaining(names));
    for (const name of names) expect(ruleEvidence(result, name).map((e) => e.text)).toEqual(['Supervision']);
    // The same ids through the model-backed classifier.
    const withModel = createClassifier({ rulePacks: [pack] }).classify('Supervision is regular and reflective.');
    expect(withModel.themes.map((t) => t.theme)).toEqual(expect.arrayContaining(names));
  });

  it('"constructor" and "toString" as unknown rule or parent ids are reported, not resolved through Object.prototype', () => {
    for (const rule of ['constructor', 'toString', 'hasOwnProperty']) {
      const error = rulePackError(() => compileRulePacks([{ id: 'p', version: '1', description: '', overrides: [{ rule, enabled: false }] }]));
      expect(error.code).toBe('OVERRIDE_UNKNOWN_RULE');
    }
    for (const parent of ['constructor', 'toString', 'prototype']) {
      expect(rulePackError(() => compileRulePacks([{ id: 'p', version: '1', description: '', extends: parent }])).code).toBe('PACK_UNKNOWN_PARENT');
    }
    expect(rulePackError(() => compileRulePacks([withRule({ id: 'r', target: { theme: 'constructor' }, patterns: ['views'], weight: 1 }) as RulePack])).code).toBe('UNKNOWN_THEME');
  });

  it('words like "constructor" and "prototype" in patterns and sentences are matched as words', () => {
    expect(matches(['prototype ~2 tool'], 'A prototype assessment tool is being piloted.')).toEqual(['prototype assessment tool']);
    expect(matches(['=constructor'], 'The constructor of the toString valueOf __proto__ hub.')).toEqual(['constructor']);
    expect(tokenize('__proto__ constructor').map((t) => t.norm)).toEqual(['proto', 'constructor']);
  });

  it('the built-in packs are data that survive a JSON round trip unchanged', () => {
    for (const pack of BUILTIN_RULE_PACKS) {
      expect(JSON.parse(JSON.stringify(pack))).toEqual(pack);
      expect(parseRulePack(JSON.stringify(pack))).toEqual(pack);
    }
  });
});

// ---------------------------------------------------------------------------
// 8. Linear matching with hostile packs, and the compile cache

/** A seeded generator, so the hostile pack and sentences are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const VOCABULARY = [
  'supervision', 'oversight', 'records', 'caseloads', 'partners', 'police', 'health', 'thresholds', 'referrals', 'assessments',
  'plans', 'reviews', 'children', 'families', 'workers', 'managers', 'training', 'strategy', 'meetings', 'schools',
  'visits', 'drift', 'delay', 'timely', 'effective', 'quality', 'consistent', 'risk', 'harm', 'support',
];

function hostilePack(): RulePack {
  const rnd = lcg(1);
  const pick = () => VOCABULARY[Math.floor(rnd() * VOCABULARY.length)]!;
  return {
    id: 'hostile',
    version: '1.0.0',
    description: '1,000 rules whose words all occur in the sentence',
    themes: [{ id: 'hostile', label: 'Hostile', description: 'load test' }],
    rules: Array.from({ length: 1000 }, (_, i) => ({ id: `hostile.${i}`, target: { theme: 'hostile' }, patterns: [`${pick()} ~5 ${pick()} ~5 ${pick()}`], weight: 1 })),
  };
}

function sentenceOf(bytes: number, seed: number): string {
  const rnd = lcg(seed);
  const words: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = VOCABULARY[Math.floor(rnd() * VOCABULARY.length)]!;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

describe('matching time is linear in the sentence, whatever the pack', () => {
  const packs = [...BUILTIN_RULE_PACKS, hostilePack()];

  const time = (fn: () => void): number => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };

  it('a 1,000-rule pack against a 100 KB sentence finishes within 10 s and finds hits', () => {
    const compiled = compileRulePacks(packs);
    expect(compiled.rules.filter((r) => r.packId === 'hostile')).toHaveLength(1000);
    const sentence = sentenceOf(100_000, 7);
    let hits = 0;
    const elapsed = time(() => {
      hits = analyseSentence(compiled, sentence).evidence.filter((e) => e.target === 'theme:hostile').length;
    });
    expect(hits).toBeGreaterThan(100);
    expect(elapsed).toBeLessThan(10_000);
  }, 60_000);

  it('doubling the sentence roughly doubles the time (200 KB < 3 × 100 KB + slack)', () => {
    const compiled = compileRulePacks(packs);
    const short = sentenceOf(100_000, 11);
    const long = sentenceOf(200_000, 13);
    const shortTokens = tokenize(short);
    const longTokens = tokenize(long);
    matchTokens(compiled, tokenize(sentenceOf(20_000, 5))); // warm up
    // Interleaved, best of two each, so that load from other processes hits both sizes alike.
    const t100s: number[] = [];
    const t200s: number[] = [];
    for (let round = 0; round < 2; round++) {
      t100s.push(time(() => void matchTokens(compiled, shortTokens)));
      t200s.push(time(() => void matchTokens(compiled, longTokens)));
    }
    const t100 = Math.min(...t100s);
    const t200 = Math.min(...t200s);
    expect(t200, `100 KB: ${t100s.map(Math.round).join(', ')} ms; 200 KB: ${t200s.map(Math.round).join(', ')} ms`).toBeLessThan(3 * t100 + 500);
  }, 120_000);

  it('the whole classifier copes with the hostile pack on a 100 KB sentence', () => {
    const classifier = createRuleClassifier({ rulePacks: [hostilePack()] });
    const sentence = sentenceOf(100_000, 17);
    const start = performance.now();
    const result = classifier.classify(sentence);
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(result.themes.map((t) => t.theme)).toContain('hostile');
  }, 60_000);
});

describe('compiled packs are cached by content', () => {
  it('compiling the same packs twice returns the same object', () => {
    const packs = [...BUILTIN_RULE_PACKS, parseRulePack(README_PACK)];
    const first = compileRulePacks(packs);
    expect(compileRulePacks(packs)).toBe(first);
    // Equal content in fresh objects hits the same entry.
    expect(compileRulePacks(JSON.parse(JSON.stringify(packs)) as RulePack[])).toBe(first);
  });

  it('different content compiles to a different object', () => {
    const a = compileRulePacks([specPack(['views of children'], 'cache-a')]);
    const b = compileRulePacks([specPack(['views of young people'], 'cache-a')]);
    expect(b).not.toBe(a);
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });

  it('compileRulePacks hands out its cached rule set frozen, so no caller\'s edit can change other classifiers built from the same packs', () => {
    // README, Reliability: "the caches (the word lexicon, compiled packs, headings) are bounded and internal".
    const pack = specPack(['wishes and feelings'], 'isolation');
    const before = createRuleClassifier({ rulePacks: [pack] });
    expect(ruleEvidence(before.classify(VOTC_SENTENCE), 'isolation.rule').map((e) => e.weight)).toEqual([1]);
    // A caller inspects the compiled packs and, carelessly, edits what it got back.
    const mine = compileRulePacks([...BUILTIN_RULE_PACKS, pack]);
    const rule = mine.rules.find((r) => r.id === 'isolation.rule')!;
    let mutated = false;
    try {
      rule.weight = -50;
      mutated = rule.weight === -50;
    } catch {
      // A frozen rule refuses the write: that is the behaviour we want.
    }
    try {
      const after = createRuleClassifier({ rulePacks: [pack] });
      expect(ruleEvidence(after.classify(VOTC_SENTENCE), 'isolation.rule').map((e) => e.weight)).toEqual([1]);
      // Nor may it reach a classifier that already exists (and is frozen).
      expect(ruleEvidence(before.classify(VOTC_SENTENCE), 'isolation.rule').map((e) => e.weight)).toEqual([1]);
    } finally {
      if (mutated) rule.weight = 1;
    }
  });

  it('pattern elements are parsed once and shared between rule sets, so they are frozen: an edit through one set cannot reach another', () => {
    const a = compileRulePacks([specPack(['wishes and feelings'], 'shared-a')]);
    const element = a.elements.find((e) => e?.alts.some((alt) => alt.type === 'stem'))!;
    expect(() => {
      (element.alts[0] as { value: string }).value = 'zzz';
    }).toThrow(TypeError);
    expect(() => element.alts.push({ type: 'any' })).toThrow(TypeError);
    // The same pattern in another pack still matches.
    const b = createRuleClassifier({ rulePacks: [specPack(['wishes and feelings'], 'shared-b')] });
    expect(ruleEvidence(b.classify(VOTC_SENTENCE), 'shared-b.rule').map((e) => e.weight)).toEqual([1]);
  });

  it('the precompiled form (how builds ship the built-in packs) round-trips to the same rule set, with frozen elements', () => {
    const compiled = compileRulePacks([...BUILTIN_RULE_PACKS]);
    const again = fromPrecompiled(JSON.parse(JSON.stringify(toPrecompiled(compiled))) as ReturnType<typeof toPrecompiled>);
    expect(again.elements).toEqual(compiled.elements);
    expect(again.acceptRule).toEqual(compiled.acceptRule);
    expect([...again.entryByStem]).toEqual([...compiled.entryByStem]);
    expect([...again.entryByExact]).toEqual([...compiled.entryByExact]);
    expect([...again.entryByPrefix]).toEqual([...compiled.entryByPrefix]);
    expect(again.entryByNumber).toEqual(compiled.entryByNumber);
    expect(again.rules).toEqual(compiled.rules);
    expect(again.elements.every((e) => e === undefined || (Object.isFrozen(e) && Object.isFrozen(e.alts)))).toBe(true);
  });
});

describe('per-word caches never change what matches', () => {
  it('a word seen under one rule set matches by another rule set exactly as a fresh word would', () => {
    // analyseSentence keeps each word's automaton entry states on its lexeme for the last rule set;
    // alternating two rule sets over the same words must give the hits that plain matching gives.
    const builtIn = compileRulePacks([...BUILTIN_RULE_PACKS]);
    const custom = compileRulePacks([specPack(['supervision ~2 regular', 'case record*', 'record'], 'cache-words')]);
    const sentences = loadSeedDocuments().flatMap((d) => d.sentences.map((s) => s.text)).slice(0, 300);
    let hits = 0;
    for (const text of sentences) {
      for (const rules of [builtIn, custom, builtIn]) {
        const viaLexemes = analyseSentence(rules, text).evidence.filter((e) => e.kind === 'rule').map((e) => `${e.source}@${e.span?.start}`);
        const tokens = tokenize(text);
        const plain = matchTokens(rules, tokens).map((h) => `${rules.rules[h.rule]!.id}@${tokens[h.tokenStart]!.start}`);
        expect(viaLexemes.sort()).toEqual(plain.sort());
        hits += plain.length;
      }
    }
    expect(hits).toBeGreaterThan(300);
  });

  it('a word whose prefix bucket is too long to scan per word still matches exactly (tested element by element)', () => {
    // 8 × 80 prefix alternatives after "marker", all in the "zz" bucket: past the per-word scan limit.
    const code = (n: number) => String.fromCharCode(97 + Math.floor(n / 10), 97 + (n % 10)); // 45 → "ef"
    const patterns = Array.from({ length: 8 }, (_, p) => `marker ${Array.from({ length: 80 }, (_, j) => `zz${code(p)}x${code(j)}*`).join('|')}`);
    const rules = compileRulePacks([specPack(patterns, 'wide-prefixes')]);
    const hitsIn = (text: string) => {
      const tokens = tokenize(text);
      return matchTokens(rules, tokens).map((h) => text.slice(tokens[h.tokenStart]!.start, tokens[h.tokenEnd - 1]!.end));
    };
    expect(hitsIn('The marker zzadxefabc was seen.')).toEqual(['marker zzadxefabc']);
    expect(hitsIn('The marker zzajxef was seen, and zzadxef without it.')).toEqual([]);
    expect(analyseSentence(rules, 'A marker zzahxhj here; marker zzaaxaa.').evidence.map((e) => e.text)).toEqual(['marker zzahxhj', 'marker zzaaxaa']);
  });
});

describe('classification keeps no memory of a long text', () => {
  it('tokens of a text longer than the transient limit are fresh, never the shared pool', () => {
    const long = 'Supervision is regular. '.repeat(400); // 9,600 code units
    const first = tokenizeTransient(long);
    const short = tokenizeTransient('Supervision is regular.');
    expect(first.tokens).not.toBe(short.tokens);
    expect(short.tokens).not.toContain(first.tokens[0]);
    // short texts do share the pool: the next call overwrites the same arrays and objects
    const again = tokenizeTransient('Recording is timely.');
    expect(again.tokens).toBe(short.tokens);
    expect(first.tokens).toHaveLength(1600);
  });
});
