/**
 * What a person mentions first about a remembered picture. Facts are ranked by level, then by
 * object, then by a kind's own attribute order:
 *
 *   1. object presence/kind  ("a car", or "no clouds")
 *   2. time of day
 *   3. ground
 *   4. object colour
 *   5. object size
 *   6. object position
 *   7. object count
 *   8. kind-specific attributes (roof, hat, body, ...)
 *   9. weather
 *
 * Within a level, objects go larger first (as remembered), then in the scene's order; kinds the
 * memory does not hold (said only as absent) come after, in vocabulary order.
 */
import type { Scene } from '../../scenes/scene.js';
import { KIND_ATTRIBUTES, MAX_OBJECTS, OBJECT_KINDS, SIZES } from '../../scenes/vocabulary.js';
import { fieldOfKey, isPresenceKey, kindOfKey } from './fact-keys.js';

export const SALIENCE_LEVELS = [
  'presence',
  'time',
  'ground',
  'colour',
  'size',
  'position',
  'count',
  'kind attribute',
  'weather',
] as const;

export type SalienceLevel = (typeof SALIENCE_LEVELS)[number];

export function salienceLevel(key: string): SalienceLevel {
  if (key === 'time' || key === 'ground' || key === 'weather') return key;
  if (isPresenceKey(key)) return 'presence';
  const field = fieldOfKey(key);
  if (field === 'colour' || field === 'size' || field === 'position' || field === 'count') return field;
  return 'kind attribute';
}

/** Orders fact keys most salient first, for the objects of `scene`. */
export function salienceComparator(scene: Scene): (a: string, b: string) => number {
  const bySize = scene.objects
    .map((o, index) => ({ kind: o.kind, index, size: SIZES.indexOf(o.size) }))
    .sort((a, b) => b.size - a.size || a.index - b.index);
  const objectRank = new Map(bySize.map((o, rank) => [o.kind, rank]));
  const rank = (key: string): readonly number[] => {
    const kind = kindOfKey(key);
    const field = fieldOfKey(key);
    return [
      SALIENCE_LEVELS.indexOf(salienceLevel(key)),
      kind === undefined ? 0 : (objectRank.get(kind) ?? MAX_OBJECTS + OBJECT_KINDS.indexOf(kind)),
      kind === undefined || field === undefined ? 0 : Object.keys(KIND_ATTRIBUTES[kind]).indexOf(field),
    ];
  };
  return (a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) {
      const d = (ra[i] ?? 0) - (rb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  };
}
