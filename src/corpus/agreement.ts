/** Inter-annotator agreement: Cohen's κ for the finding flag, each theme and polarity. */
import type { Annotation } from '../schemas.js';

export function cohenKappa<T>(a: readonly T[], b: readonly T[]): { kappa: number; observed: number; n: number } {
  if (a.length !== b.length) throw new RangeError('cohenKappa: label lists differ in length');
  const n = a.length;
  if (n === 0) return { kappa: NaN, observed: NaN, n };
  let agree = 0;
  const ca = new Map<T, number>();
  const cb = new Map<T, number>();
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
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
