/**
 * Compiled rule sets as plain JSON, so a build can ship the built-in packs
 * already compiled: compiling ~1,000 patterns is most of a cold start's rule
 * work, and hydrating the result is a JSON.parse and a few Maps. The form is
 * found only by the rule packs' content fingerprint (see compileRulePacks),
 * so a changed pack can never be served a stale compilation.
 */
import type { CompiledRules } from './compile.js';
import { freezeElement, type Alternative, type PatternElement } from './pattern.js';

export interface PrecompiledRules {
  fingerprint: string;
  themes: CompiledRules['themes'];
  rules: CompiledRules['rules'];
  /** One string per state, "" at accepting states (see encodeElement). */
  elements: string[];
  acceptRule: number[];
  entryByStem: Array<[string, number[]]>;
  entryByExact: Array<[string, number[]]>;
  entryByPrefix: Array<[string, Array<{ prefix: string; state: number }>]>;
  entryByNumber: number[];
}

/**
 * An element as one short string: "?" if optional, then its alternatives
 * separated by spaces (values never contain whitespace): s<stem>, e<exact>,
 * p<prefix>, "~" for any token, "#" for a number. A third of the size of its JSON.
 */
function encodeElement(element: PatternElement | undefined): string {
  if (element === undefined) return '';
  const alts = element.alts.map((a) => (a.type === 'any' ? '~' : a.type === 'number' ? '#' : a.type[0] + a.value));
  return (element.optional ? '?' : '') + alts.join(' ');
}

const TYPES = { s: 'stem', e: 'exact', p: 'prefix' } as const;

function decodeElement(text: string): PatternElement | undefined {
  if (text === '') return undefined;
  const optional = text.startsWith('?');
  const alts = (optional ? text.slice(1) : text).split(' ').map((a): Alternative => {
    if (a === '~') return { type: 'any' };
    if (a === '#') return { type: 'number' };
    return { type: TYPES[a[0] as keyof typeof TYPES], value: a.slice(1) };
  });
  return freezeElement({ alts, optional });
}

export function toPrecompiled(compiled: CompiledRules): PrecompiledRules {
  return {
    fingerprint: compiled.fingerprint,
    themes: compiled.themes,
    rules: compiled.rules,
    elements: compiled.elements.map(encodeElement),
    acceptRule: [...compiled.acceptRule],
    entryByStem: [...compiled.entryByStem],
    entryByExact: [...compiled.entryByExact],
    entryByPrefix: [...compiled.entryByPrefix],
    entryByNumber: compiled.entryByNumber,
  };
}

/** The compiled rule set again, unfrozen and unregistered (compileRulePacks does both). */
export function fromPrecompiled(data: PrecompiledRules): CompiledRules {
  return {
    fingerprint: data.fingerprint,
    themes: data.themes,
    rules: data.rules,
    elements: data.elements.map(decodeElement),
    acceptRule: Int32Array.from(data.acceptRule),
    entryByStem: new Map(data.entryByStem),
    entryByExact: new Map(data.entryByExact),
    entryByPrefix: new Map(data.entryByPrefix),
    entryByNumber: data.entryByNumber,
  };
}
