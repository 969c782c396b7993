import { attributeValueOf } from '../../scenes/scenes-attribute-reader.js';
import type { Scene } from '../../scenes/scene.js';
import { isPresenceKey, kindOfKey, presenceKey } from './fact-keys.js';
import type { Memory } from './memory.js';

/** One thing to set right: its main fact, and every fact to state for it (the main one first). */
export interface Correction {
  readonly main: string;
  readonly facts: readonly string[];
}

/**
 * What the user would correct after looking at `seen` (a rendering or a retrieved image), most
 * salient first:
 * - a remembered value the picture gets wrong: that fact;
 * - a remembered object the picture lacks: the object with everything remembered about it;
 * - an object the picture has and the memory surely does not: its absence ("no clouds"), only
 *   when the user remembers every object it saw.
 */
export function corrections(memory: Memory, seen: Scene): Correction[] {
  const seenKinds = new Set(seen.objects.map((o) => o.kind));
  const remembered = new Set(memory.kinds);
  const unexpected = memory.knowsAllObjects
    ? seen.objects.filter((o) => !remembered.has(o.kind)).map((o) => presenceKey(o.kind))
    : [];
  const out: Correction[] = [];
  for (const key of [...memory.facts, ...unexpected]) {
    const kind = kindOfKey(key);
    // A field of an object missing from the picture: said with the object's own correction.
    if (kind !== undefined && !isPresenceKey(key) && !seenKinds.has(kind)) continue;
    const value = memory.recall(key);
    if (value === undefined || value === attributeValueOf(seen, key)) continue;
    const missingObject = isPresenceKey(key) && value === 'yes' && kind !== undefined;
    out.push({ main: key, facts: missingObject ? memory.factsOf(kind) : [key] });
  }
  return out.sort((a, b) => memory.compare(a.main, b.main));
}
