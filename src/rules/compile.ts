/**
 * Rule packs → one compiled matcher. Packs are validated (zod, then pattern
 * syntax, then references), `extends` is resolved, overrides are applied and
 * every pattern becomes a run of states in a single token automaton
 * (see match.ts). Compiled sets are cached by content.
 */
import { RulePackError } from '../errors.js';
import { assertArray, describeType } from '../guards.js';
import { RULE_PACK_LIMITS, RulePackSchema, type Rule, type RulePack, type RuleTarget, type ThemeDefinition } from '../schemas.js';
import { hashText } from '../segment/hash.js';
import { parsePattern, PatternSyntaxError, type PatternElement } from './pattern.js';
import builtinPrecompiled from './builtin-precompiled.js';
import { fromPrecompiled, type PrecompiledRules } from './precompiled.js';

export interface CompiledRule {
  id: string;
  packId: string;
  description: string;
  target: RuleTarget;
  /** "theme:recording", "polarity:negative", "cue:hedge", "finding:true" … */
  targetKey: string;
  weight: number;
  atStart: boolean;
  onHeading: boolean;
  sections: string[];
  patterns: string[];
}

export interface CompiledRules {
  fingerprint: string;
  themes: ThemeDefinition[];
  rules: CompiledRule[];
  /** Element tested on leaving each state; undefined at accepting states. */
  elements: Array<PatternElement | undefined>;
  /** For accepting states: the rule index; otherwise -1. */
  acceptRule: Int32Array;
  /** Entry index: key → states entered by consuming a token with that key. */
  entryByStem: Map<string, number[]>;
  entryByExact: Map<string, number[]>;
  entryByPrefix: Map<string, Array<{ prefix: string; state: number }>>;
  /** States entered by consuming any number token. */
  entryByNumber: number[];
}

export function targetKey(target: RuleTarget): string {
  if ('theme' in target) return `theme:${target.theme}`;
  if ('polarity' in target) return `polarity:${target.polarity}`;
  if ('cue' in target) return `cue:${target.cue}`;
  return `finding:${target.finding}`;
}

/** UTF-8 length without encoding (a lone surrogate counts 3 bytes, as TextEncoder writes U+FFFD). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

function jsonOf(input: unknown, source: string): string {
  try {
    return JSON.stringify(input) ?? '';
  } catch (cause) {
    throw new RulePackError('PACK_INVALID', `${source} cannot be serialised as JSON (cycles or BigInt?)`, { cause });
  }
}

/** Validate unknown input as a rule pack, with errors that name the path to the bad field. */
export function parseRulePack(input: unknown, source = 'rule pack'): RulePack {
  return validatePack(input, source, typeof input === 'string' ? input : jsonOf(input, source));
}

/** parseRulePack, given the pack's JSON text (which compileRulePacks has already made for its fingerprint). */
function validatePack(input: unknown, source: string, json: string): RulePack {
  // The size limit applies to the pack's JSON in bytes, whether it arrives as text or as an object.
  const bytes = utf8Length(json);
  if (bytes > RULE_PACK_LIMITS.packBytes) {
    throw new RulePackError('PACK_TOO_LARGE', `${source} is ${bytes} bytes of JSON; the limit is ${RULE_PACK_LIMITS.packBytes}`);
  }
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (cause) {
      throw new RulePackError('PACK_NOT_JSON', `${source} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const result = RulePackSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new RulePackError('PACK_INVALID', `${source}: ${where}: ${issue.message}`, { path: issue.path as Array<string | number>, cause: result.error });
  }
  const pack = result.data;
  const total = (pack.rules ?? []).reduce((n, r) => n + r.patterns.length, 0);
  if (total > RULE_PACK_LIMITS.patternsPerPack) {
    throw new RulePackError('PACK_TOO_LARGE', `${source} has ${total} patterns; the limit is ${RULE_PACK_LIMITS.patternsPerPack}`, { path: ['rules'] });
  }
  (pack.rules ?? []).forEach((rule, r) =>
    rule.patterns.forEach((pattern, p) => {
      try {
        parsePattern(pattern);
      } catch (error) {
        if (!(error instanceof PatternSyntaxError)) throw error;
        throw new RulePackError('PATTERN_INVALID', `${source}: rules.${r}.patterns.${p}: ${error.message}`, { path: ['rules', r, 'patterns', p] });
      }
    }),
  );
  return pack;
}

/** A pack's id for error messages, without coercing untrusted values (an object id may not even stringify). */
function packLabel(pack: unknown): string {
  const id = pack !== null && typeof pack === 'object' ? (pack as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 100) : '?';
}

/** Typed authoring of a rule pack; validates at definition time. */
export function defineRulePack<const T extends RulePack>(pack: T): T {
  if (pack === null || typeof pack !== 'object') throw new TypeError(`defineRulePack expects a rule pack object, got ${describeType(pack)}`);
  parseRulePack(pack, `rule pack "${packLabel(pack)}"`);
  return pack;
}

/** Order packs so that every pack comes after the packs it extends. */
function resolveOrder(packs: RulePack[]): RulePack[] {
  const byId = new Map<string, RulePack>();
  for (const pack of packs) byId.set(pack.id, pack);
  const ordered: RulePack[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (pack: RulePack, chain: string[]) => {
    const seen = state.get(pack.id);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new RulePackError('PACK_CYCLE', `rule packs extend each other in a cycle: ${[...chain, pack.id].join(' → ')}`);
    state.set(pack.id, 'visiting');
    const parents = pack.extends === undefined ? [] : Array.isArray(pack.extends) ? pack.extends : [pack.extends];
    parents.forEach((parentId, i) => {
      const parent = byId.get(parentId.replace(/^ofsted-findings:/, ''));
      if (!parent) throw new RulePackError('PACK_UNKNOWN_PARENT', `rule pack "${pack.id}" extends "${parentId}", which is not loaded`, { path: ['extends', i] });
      visit(parent, [...chain, pack.id]);
    });
    state.set(pack.id, 'done');
    ordered.push(pack);
  };
  for (const pack of packs) visit(pack, []);
  return ordered;
}

const cache = new Map<string, CompiledRules>();
const CACHE_LIMIT = 32;
/** Every rule set compileRulePacks has returned: analyseSentence accepts only these. */
const compiledSets = new WeakSet<object>();

export function isCompiledRules(value: unknown): value is CompiledRules {
  return value !== null && typeof value === 'object' && compiledSets.has(value);
}

export function compileRulePacks(packs: RulePack[]): CompiledRules {
  assertArray(packs, 'compileRulePacks');
  const labels = packs.map((p, i) => `rule pack ${i} ("${packLabel(p)}")`);
  // Each pack's JSON, once: for the fingerprint (exactly JSON.stringify(packs)) and for each pack's size limit.
  const texts = packs.map((p, i) => (typeof p === 'string' ? JSON.stringify(p) : jsonOf(p, labels[i]!) || 'null'));
  const fingerprint = hashText(`[${texts.join(',')}]`);
  const hit = cache.get(fingerprint);
  if (hit) return hit;
  const compiled =
    precompiledFor(fingerprint) ??
    compileUncached(packs.map((p, i) => (typeof p === 'string' ? parseRulePack(p, labels[i]) : validatePack(p, labels[i]!, texts[i]!))), fingerprint);
  // Shared through the cache, so frozen: no caller can change what other classifiers use.
  for (const rule of compiled.rules) {
    Object.freeze(rule.target);
    Object.freeze(rule.sections);
    Object.freeze(rule.patterns);
    Object.freeze(rule);
  }
  Object.freeze(compiled.rules);
  for (const theme of compiled.themes) Object.freeze(theme);
  Object.freeze(compiled.themes);
  Object.freeze(compiled.elements);
  Object.freeze(compiled);
  compiledSets.add(compiled);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(fingerprint, compiled);
  return compiled;
}

/**
 * The build's compilation of the built-in packs, when these packs are exactly those (same JSON).
 * Parsed afresh each time (only on a cache miss), so no two compiled sets share mutable parts.
 */
function precompiledFor(fingerprint: string): CompiledRules | undefined {
  if (typeof builtinPrecompiled !== 'string' || !builtinPrecompiled.includes(`"fingerprint":"${fingerprint}"`)) return undefined;
  const data = JSON.parse(builtinPrecompiled) as PrecompiledRules;
  return data.fingerprint === fingerprint ? fromPrecompiled(data) : undefined;
}

function compileUncached(packs: RulePack[], fingerprint: string): CompiledRules {
  const ordered = resolveOrder(packs);
  const themes = new Map<string, ThemeDefinition>();
  const rules = new Map<string, { rule: Rule; packId: string }>();
  for (const pack of ordered) {
    for (const theme of pack.themes ?? []) themes.set(theme.id, theme);
    for (const rule of pack.rules ?? []) rules.set(rule.id, { rule: { ...rule }, packId: pack.id });
  }
  for (const pack of ordered) {
    (pack.overrides ?? []).forEach((override, i) => {
      const entry = rules.get(override.rule);
      if (!entry) throw new RulePackError('OVERRIDE_UNKNOWN_RULE', `rule pack "${pack.id}": overrides.${i} names rule "${override.rule}", which no loaded pack defines`, { path: ['overrides', i, 'rule'] });
      if (override.weight !== undefined) entry.rule.weight = override.weight;
      if (override.enabled !== undefined) entry.rule.enabled = override.enabled;
    });
  }

  const out: CompiledRules = {
    fingerprint,
    themes: [...themes.values()],
    rules: [],
    elements: [],
    acceptRule: new Int32Array(0),
    entryByStem: new Map(),
    entryByExact: new Map(),
    entryByPrefix: new Map(),
    entryByNumber: [],
  };
  const accept: number[] = [];
  const addEntry = (element: PatternElement, state: number) => {
    for (const alt of element.alts) {
      if (alt.type === 'number') out.entryByNumber.push(state);
      else if (alt.type === 'stem') push(out.entryByStem, alt.value, state);
      else if (alt.type === 'exact') push(out.entryByExact, alt.value, state);
      else if (alt.type === 'prefix') {
        const list = out.entryByPrefix.get(alt.value.slice(0, 2)) ?? [];
        list.push({ prefix: alt.value, state });
        out.entryByPrefix.set(alt.value.slice(0, 2), list);
      }
    }
  };

  for (const { rule, packId } of rules.values()) {
    if (rule.enabled === false || rule.weight === 0) continue;
    if ('theme' in rule.target && !themes.has(rule.target.theme)) {
      throw new RulePackError('UNKNOWN_THEME', `rule pack "${packId}": rule "${rule.id}" targets theme "${rule.target.theme}", which no loaded pack defines`, {
        path: ['rules', rule.id, 'target', 'theme'],
      });
    }
    const ruleIndex = out.rules.length;
    out.rules.push({
      id: rule.id,
      packId,
      description: rule.description ?? '',
      target: rule.target,
      targetKey: targetKey(rule.target),
      weight: rule.weight,
      atStart: rule.scope?.position === 'start',
      onHeading: rule.scope?.on === 'heading',
      sections: (rule.scope?.sections ?? []).map((s) => s.toLowerCase()),
      patterns: rule.patterns,
    });
    for (const source of rule.patterns) {
      const elements = parsePattern(source);
      const base = out.elements.length;
      elements.forEach((e) => {
        out.elements.push(e);
        accept.push(-1);
      });
      out.elements.push(undefined);
      accept.push(ruleIndex);
      // Entry elements: the first element, and any after a run of optional ones.
      for (let k = 0; k < elements.length; k++) {
        addEntry(elements[k]!, base + k);
        if (!elements[k]!.optional) break;
      }
    }
  }
  out.acceptRule = Int32Array.from(accept);
  return out;
}

function push(map: Map<string, number[]>, key: string, state: number): void {
  const list = map.get(key);
  if (list) list.push(state);
  else map.set(key, [state]);
}
