/**
 * Confidence intervals by resampling whole groups. The cross-validation keeps
 * each authority whole, so an interval should say how far a score would move
 * with another set of authorities, not only with other sentences: each
 * resample draws as many groups as there are, with replacement, and takes
 * every item of each group drawn (a percentile bootstrap over clusters).
 */
import { assertArray, assertFunction, assertInteger, assertNumber, assertOptionsObject, describeType } from '../guards.js';
import { mulberry32 } from '../model/folds.js';

export interface BootstrapOptions {
  /** Resamples drawn (10 to 100,000; default 1,000). */
  samples?: number;
  /** Seed of the resampling, an integer from 0 to 2³² − 1 (default 2026): the same seed gives the same interval. */
  seed?: number;
  /** Coverage of the interval, between 0 and 1 (default 0.95). */
  level?: number;
}

export interface BootstrapInterval {
  /** The statistic on every item once. */
  estimate: number;
  low: number;
  high: number;
  level: number;
  samples: number;
}

/** Items drawn over all resamples, at most: bounds the time spent building resamples (about 4 s here). */
const MAX_DRAWN_ITEMS = 100_000_000;

/** The q-quantile of sorted values, interpolating between neighbours. */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (at - below) * (sorted[above]! - sorted[below]!);
}

/**
 * A percentile interval for `statistic` by resampling the groups of `groups`
 * (one group name per item, e.g. each sentence's authority). `statistic`
 * gets the indices of a resample's items (an item appears once per draw of
 * its group; a scratch array, reused between resamples: copy it to keep it)
 * and returns a finite number. For a paired comparison, return the difference
 * between two systems on the same indices.
 */
export function groupBootstrap(groups: readonly string[], statistic: (indices: readonly number[]) => number, options?: BootstrapOptions): BootstrapInterval {
  assertArray(groups, 'groupBootstrap (groups)');
  assertFunction(statistic, 'groupBootstrap (statistic)');
  const { samples = 1000, seed = 2026, level = 0.95 } = assertOptionsObject(options, 'groupBootstrap');
  assertInteger(samples, 'groupBootstrap (samples)', 10);
  if (samples > 100_000) throw new RangeError(`groupBootstrap (samples) expects at most 100,000 resamples, got ${samples}`);
  assertInteger(seed, 'groupBootstrap (seed)');
  if (seed > 0xffffffff) throw new RangeError(`groupBootstrap (seed) expects an integer from 0 to 2³² − 1, got ${seed}`);
  assertNumber(level, 'groupBootstrap (level)');
  if (!(level > 0 && level < 1)) throw new RangeError(`groupBootstrap (level) expects a number between 0 and 1, got ${level}`);
  if (groups.length === 0) throw new RangeError('groupBootstrap (groups) expects at least one item');
  if (samples * groups.length > MAX_DRAWN_ITEMS) {
    throw new RangeError(`groupBootstrap: ${samples} resamples of ${groups.length} items would draw more than ${MAX_DRAWN_ITEMS.toLocaleString('en-GB')} items; use fewer resamples`);
  }
  const members = new Map<string, number[]>();
  // An indexed loop, so that holes in a sparse array are refused like any other non-string.
  for (let i = 0; i < groups.length; i++) {
    const g: unknown = groups[i];
    if (typeof g !== 'string') throw new TypeError(`groupBootstrap: groups[${i}] must be a string, got ${describeType(g)}`);
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  }
  const valueOf = (indices: readonly number[], what: string): number => {
    const value = statistic(indices);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`groupBootstrap: the statistic returned ${typeof value === 'number' ? value : describeType(value)} on ${what}; it must return a finite number`);
    return value;
  };
  const estimate = valueOf(groups.map((_, i) => i), 'all items');
  const lists = [...members.values()];
  const rand = mulberry32(seed);
  const values = new Float64Array(samples);
  const indices: number[] = [];
  for (let s = 0; s < samples; s++) {
    indices.length = 0;
    for (let k = 0; k < lists.length; k++) for (const i of lists[Math.floor(rand() * lists.length)]!) indices.push(i);
    values[s] = valueOf(indices, `resample ${s + 1}`);
  }
  values.sort();
  return { estimate, low: quantile(values, (1 - level) / 2), high: quantile(values, 1 - (1 - level) / 2), level, samples };
}
