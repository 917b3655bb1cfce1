/** Inter-annotator agreement: Cohen's κ for the finding flag, each theme and polarity. */
import { assertArray, describeType, isRecord } from '../guards.js';
import type { Annotation } from '../schemas.js';

/** SameValueZero: like ===, except that NaN equals NaN (the equality Map uses for its keys). */
const sameValueZero = (x: unknown, y: unknown) => x === y || (x !== x && y !== y);

export function cohenKappa<T>(a: readonly T[], b: readonly T[]): { kappa: number; observed: number; n: number } {
  assertArray(a, 'cohenKappa (first labels)');
  assertArray(b, 'cohenKappa (second labels)');
  if (a.length !== b.length) throw new RangeError('cohenKappa: label lists differ in length');
  const n = a.length;
  if (n === 0) return { kappa: NaN, observed: NaN, n };
  let agree = 0;
  const ca = new Map<T, number>();
  const cb = new Map<T, number>();
  for (let i = 0; i < n; i++) {
    if (sameValueZero(a[i], b[i])) agree++;
    ca.set(a[i]!, (ca.get(a[i]!) ?? 0) + 1);
    cb.set(b[i]!, (cb.get(b[i]!) ?? 0) + 1);
  }
  const observed = agree / n;
  let expected = 0;
  for (const [label, count] of ca) expected += (count / n) * ((cb.get(label) ?? 0) / n);
  return { kappa: expected === 1 ? 1 : (observed - expected) / (1 - expected), observed, n };
}

export interface AgreementReport {
  n: number;
  finding: number;
  polarity: number;
  themes: Record<string, number>;
  disagreements: number;
}

/** κ between two annotations of the same sentences, matched by document and sentence index. */
export function agreement(first: Annotation[], second: Annotation[], themes: readonly string[]): AgreementReport {
  assertArray(first, 'agreement (first annotations)');
  assertArray(second, 'agreement (second annotations)');
  assertArray(themes, 'agreement (themes)');
  for (const [name, list] of [['first', first], ['second', second]] as const) {
    list.forEach((a, i) => {
      if (!isRecord(a)) throw new TypeError(`agreement: ${name}[${i}] must be an annotation object, got ${describeType(a)}`);
    });
  }
  const key = (a: Annotation) => `${a.doc}#${a.sentence}`;
  const other = new Map(second.map((a) => [key(a), a] as const));
  const pairs = first.filter((a) => other.has(key(a))).map((a) => [a, other.get(key(a))!] as const);
  const k = <T>(f: (a: Annotation) => T) => cohenKappa(pairs.map(([a]) => f(a)), pairs.map(([, b]) => f(b))).kappa;
  const same = (a: Annotation, b: Annotation) => a.finding === b.finding && a.polarity === b.polarity && a.themes.join() === b.themes.join();
  return {
    n: pairs.length,
    finding: k((a) => a.finding),
    polarity: k((a) => a.polarity),
    themes: Object.fromEntries(themes.map((t) => [t, k((a) => a.themes.includes(t as never))])),
    disagreements: pairs.filter(([a, b]) => !same(a, b)).length,
  };
}
