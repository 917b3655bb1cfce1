/** Grouped k-fold assignment: every member of a group lands in the same fold. */
import { assertArray, assertInteger, assertNumber } from '../guards.js';

export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fold index (0..k-1) for each item. Groups are shuffled with the seed, then
 * assigned largest first to the currently smallest fold, so folds are balanced
 * and no group is split. Same groups + seed → same folds.
 */
export function groupedFolds(groups: readonly string[], k: number, seed: number): number[] {
  assertArray(groups, 'groupedFolds (groups)');
  assertInteger(k, 'groupedFolds (k, the number of folds)', 1);
  assertNumber(seed, 'groupedFolds (seed)');
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const unique = [...sizes.keys()].sort();
  const rand = mulberry32(seed);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  const order = unique.map((g, i) => ({ g, i })).sort((x, y) => sizes.get(y.g)! - sizes.get(x.g)! || x.i - y.i);
  const load = new Array<number>(k).fill(0);
  const foldOf = new Map<string, number>();
  for (const { g } of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f]! < load[best]!) best = f;
    foldOf.set(g, best);
    load[best] = load[best]! + sizes.get(g)!;
  }
  return groups.map((g) => foldOf.get(g)!);
}
