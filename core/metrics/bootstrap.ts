import { invalidInput } from '../errors.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';

/** A two-sided interval of a statistic, in the statistic's own units. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/**
 * The resamples of a paired bootstrap: each is `targets` target positions drawn with
 * replacement. One set is drawn per run and applied to every strategy, so a resample that
 * happens to hold hard targets holds them for all strategies alike (the pairing).
 */
export function bootstrapResamples(targets: number, resamples: number, seed: number): Uint32Array[] {
  if (!Number.isInteger(targets) || targets < 1) throw invalidInput(`The bootstrap needs at least one target, got ${targets}.`);
  if (!Number.isInteger(resamples) || resamples < 1) throw invalidInput(`The bootstrap needs at least one resample, got ${resamples}.`);
  const rng = new Prng(deriveSeed(seed, 'bootstrap'));
  return Array.from({ length: resamples }, () => {
    const picks = new Uint32Array(targets);
    for (let i = 0; i < targets; i++) picks[i] = Math.floor(rng.next() * targets);
    return picks;
  });
}

/** The mean of per-target values under each resample. */
export function resampledMeans(values: readonly number[], resamples: readonly Uint32Array[]): number[] {
  return resamples.map((picks) => {
    if (picks.length !== values.length) {
      throw invalidInput(`A resample of ${picks.length} targets does not fit ${values.length} per-target values.`);
    }
    let sum = 0;
    for (const i of picks) sum += values[i] ?? 0;
    return sum / picks.length;
  });
}

/**
 * Percentile interval: the (1 - level)/2 and (1 + level)/2 quantiles of the resampled
 * statistics, by linear interpolation between order statistics (quantile type 7).
 */
export function percentileInterval(statistics: readonly number[], level = 0.95): Interval {
  if (statistics.length === 0) throw invalidInput('A percentile interval needs at least one resampled statistic.');
  if (!(level > 0 && level < 1)) throw invalidInput(`The interval level must lie in (0, 1), got ${level}.`);
  const sorted = [...statistics].sort((a, b) => a - b);
  const quantile = (q: number) => {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    const a = sorted[lo] ?? 0;
    const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
    return a + (h - lo) * (b - a);
  };
  return { lower: quantile((1 - level) / 2), upper: quantile((1 + level) / 2) };
}

/** The percentile bootstrap interval of the mean of per-target values. */
export function bootstrapMeanInterval(values: readonly number[], resamples: readonly Uint32Array[], level = 0.95): Interval {
  return percentileInterval(resampledMeans(values, resamples), level);
}
