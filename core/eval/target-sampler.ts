import { invalidInput } from '../errors.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';

/** Draws n distinct targets with a seed; the same ids and seed always give the same targets. */
export function sampleTargets(ids: readonly string[], n: number, seed: number): string[] {
  if (n > ids.length) throw invalidInput(`Asked for ${n} targets but the archive holds only ${ids.length} images.`);
  const sorted = [...ids].sort();
  const rng = new Prng(deriveSeed(seed, 'targets'));
  // Partial Fisher-Yates: only the first n positions are drawn.
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (sorted.length - i));
    const tmp = sorted[i] as string;
    sorted[i] = sorted[j] as string;
    sorted[j] = tmp;
  }
  return sorted.slice(0, n);
}
