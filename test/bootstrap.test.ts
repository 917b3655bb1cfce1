/**
 * groupBootstrap: percentile intervals that resample whole groups (authorities),
 * as eval reports them beside its cross-validated scores.
 */
import { describe, expect, it } from 'vitest';
import { groupBootstrap } from '../src/index.js';

const mean = (values: readonly number[]) => (indices: readonly number[]) => indices.reduce((sum, i) => sum + values[i]!, 0) / indices.length;

describe('groupBootstrap', () => {
  it('gives the textbook interval for a mean of independent groups', () => {
    // Ten groups of one item, values 0..9: mean 4.5, standard error sqrt(8.25 / 10) ≈ 0.908,
    // so a 95% interval of about 4.5 ± 1.78 (the percentile bootstrap is close to it).
    const values = Array.from({ length: 10 }, (_, i) => i);
    const groups = values.map((v) => `authority-${v}`);
    const interval = groupBootstrap(groups, mean(values), { samples: 20_000, seed: 1 });
    expect(interval.estimate).toBe(4.5);
    expect(interval.low).toBeGreaterThan(2.5);
    expect(interval.low).toBeLessThan(3.0);
    expect(interval.high).toBeGreaterThan(6.0);
    expect(interval.high).toBeLessThan(6.5);
    expect(interval).toMatchObject({ level: 0.95, samples: 20_000 });
  });

  it('keeps groups whole: items that always travel together widen the interval as one item would', () => {
    // The same ten values, each now shared by 50 items of one group: the interval must be the same
    // width as with one item per group, not sqrt(50) times narrower as an item-level bootstrap would give.
    const values = Array.from({ length: 500 }, (_, i) => Math.floor(i / 50));
    const groups = values.map((v) => `authority-${v}`);
    const grouped = groupBootstrap(groups, mean(values), { samples: 5_000, seed: 2 });
    const single = groupBootstrap(
      Array.from({ length: 10 }, (_, v) => `authority-${v}`),
      mean(Array.from({ length: 10 }, (_, v) => v)),
      { samples: 5_000, seed: 2 },
    );
    expect(grouped.high - grouped.low).toBeCloseTo(single.high - single.low, 10);
    // And every resample holds each drawn group's items together (the 50 of a group, or a multiple).
    groupBootstrap(groups, (indices) => {
      const counts = new Map<string, number>();
      for (const i of indices) counts.set(groups[i]!, (counts.get(groups[i]!) ?? 0) + 1);
      for (const count of counts.values()) expect(count % 50).toBe(0);
      expect(indices.length).toBe(500);
      return 0;
    }, { samples: 20 });
  });

  it('is reproducible from its seed, and narrows as the level falls', () => {
    const values = [0.2, 0.9, 0.4, 0.7, 0.1, 0.8, 0.5];
    const groups = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const first = groupBootstrap(groups, mean(values), { seed: 7 });
    expect(groupBootstrap(groups, mean(values), { seed: 7 })).toEqual(first);
    expect(groupBootstrap(groups, mean(values), { seed: 8 })).not.toEqual(first);
    const narrower = groupBootstrap(groups, mean(values), { seed: 7, level: 0.5 });
    expect(narrower.high - narrower.low).toBeLessThan(first.high - first.low);
    expect(first.low).toBeLessThanOrEqual(first.estimate);
    expect(first.high).toBeGreaterThanOrEqual(first.estimate);
  });

  it('takes its bounds between the right resamples, interpolating, from exactly `samples` resamples', () => {
    // A statistic that counts its calls: the estimate is call 1, the resamples give 2..12, and a 90%
    // interval of 11 values runs from the 5th to the 95th percentile: 2 + 0.5 and 2 + 9.5.
    let calls = 0;
    const interval = groupBootstrap(['a', 'b'], () => ++calls, { samples: 11, level: 0.9 });
    expect(calls).toBe(12);
    expect(interval).toMatchObject({ estimate: 1, low: 2.5, high: 11.5, samples: 11 });
  });

  it('draws every group equally often', () => {
    const drawn = [0, 0, 0, 0];
    groupBootstrap(['a', 'b', 'c', 'd'], (indices) => {
      for (const i of indices) drawn[i]!++;
      return 0;
    }, { samples: 20_000 });
    // 4 draws per resample (one per group), each group a quarter of them: 20,000 ± 3%, less the estimate's own call.
    for (const count of drawn) expect(Math.abs(count - 1 - 20_000)).toBeLessThan(600);
  });

  it('compares two systems paired on the same resamples', () => {
    // System B is right on every item A is right on, and on one more per group: the difference is
    // exactly 1/4 in every resample, so its interval is that one value.
    const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c', 'c', 'c'];
    const rightA = [1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1];
    const rightB = [1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1];
    const difference = groupBootstrap(groups, (idx) => mean(rightB)(idx) - mean(rightA)(idx), { samples: 200 });
    expect(difference.estimate).toBeCloseTo(0.25, 12);
    expect(difference.low).toBeCloseTo(0.25, 12);
    expect(difference.high).toBeCloseTo(0.25, 12);
  });

  it('refuses bad arguments with typed errors', () => {
    const f = () => 0;
    expect(() => groupBootstrap('abc' as never, f)).toThrow(TypeError);
    expect(() => groupBootstrap(['a'], 'mean' as never)).toThrow(TypeError);
    expect(() => groupBootstrap([], f)).toThrow(/at least one item/);
    expect(() => groupBootstrap(['a', 2 as never], f)).toThrow(/groups\[1\] must be a string, got number/);
    expect(() => groupBootstrap(new Array<string>(3), f)).toThrow(/groups\[0\] must be a string, got undefined/);
    expect(() => groupBootstrap(new Array<string>(2_000_000).fill('a'), f, { samples: 100 })).toThrow(/would draw more than 100,000,000 items/);
    expect(() => groupBootstrap(['a'], f, { seed: 0.5 })).toThrow(RangeError);
    expect(() => groupBootstrap(['a'], f, { seed: 2 ** 32 })).toThrow(/2³² − 1/);
    expect(() => groupBootstrap(['a'], f, { samples: 5 })).toThrow(RangeError);
    expect(() => groupBootstrap(['a'], f, { samples: 1e6 })).toThrow(/at most 100,000/);
    expect(() => groupBootstrap(['a'], f, { samples: 10.5 })).toThrow(RangeError);
    expect(() => groupBootstrap(['a'], f, { level: 1 })).toThrow(/between 0 and 1/);
    expect(() => groupBootstrap(['a'], f, 'fast' as never)).toThrow(TypeError);
    expect(() => groupBootstrap(['a', 'b'], () => Number.NaN)).toThrow(/returned NaN on all items/);
    let calls = 0;
    expect(() => groupBootstrap(['a', 'b'], () => (calls++ === 3 ? Infinity : 1))).toThrow(/returned Infinity on resample 3/);
  });
});
