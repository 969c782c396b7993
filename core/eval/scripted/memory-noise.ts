import { Prng } from '../../random/prng.js';
import { deriveSeed } from '../../random/seed.js';
import type { Scene, SceneObject } from '../../scenes/scene.js';
import {
  COLOURS,
  GROUNDS,
  KIND_ATTRIBUTES,
  MAX_COUNT,
  OBJECT_KINDS,
  POSITIONS,
  SIZES,
  TIMES,
  WEATHERS,
} from '../../scenes/vocabulary.js';
import { presenceKey } from './fact-keys.js';
import { Memory } from './memory.js';

export interface MemoryNoise {
  readonly pForget: number;
  readonly pMisremember: number;
}

const COUNTS: readonly number[] = Array.from({ length: MAX_COUNT }, (_, i) => i + 1);

/**
 * Forms the user's memory of a target: every fact (time, ground, weather, each object's presence,
 * colour, size, position, count and kind attributes) is independently forgotten with pForget,
 * misremembered as another valid value with pMisremember, else kept.
 *
 * Each fact draws from its own stream, named by the target's key, so one fact's fate never
 * depends on the others, and raising pMisremember only turns kept facts into misremembered ones.
 *
 * A forgotten presence takes the whole object with it. A misremembered presence swaps the kind
 * for one not in the picture ("a cat" for the dog); its colour, size, position and count are
 * still remembered (or not) on their own, but its kind attributes are lost, since the old kind's
 * ("spotted") do not fit the new one.
 */
export function formMemory(target: Scene, noise: MemoryNoise, seed: number): Memory {
  const { scene, forgotten } = perturbScene(target, noise, seed, 'memory');
  return new Memory(scene, forgotten);
}

/**
 * The fact-by-fact noise formMemory describes, as a scene (misremembered values in it) and the
 * keys it lost; `stream` names the random streams, so memory and perception noise never share draws.
 */
export function perturbScene(
  target: Scene,
  noise: MemoryNoise,
  seed: number,
  stream: string,
): { readonly scene: Scene; readonly forgotten: ReadonlySet<string> } {
  const forgotten = new Set<string>();
  const fate = (targetKey: string) => {
    const rng = new Prng(deriveSeed(seed, stream, targetKey));
    const r = rng.next();
    return { forget: r < noise.pForget, misremember: r >= noise.pForget && r < noise.pForget + noise.pMisremember, rng };
  };
  /** The remembered value of one fact; `memoryKey` is where a forgotten fact is recorded. */
  const remember = <T>(targetKey: string, memoryKey: string, value: T, values: readonly T[]): T => {
    const { forget, misremember, rng } = fate(targetKey);
    if (forget) forgotten.add(memoryKey);
    return misremember ? rng.pick(values.filter((v) => v !== value)) : value;
  };

  const unused = new Set(OBJECT_KINDS.filter((kind) => !target.objects.some((o) => o.kind === kind)));
  const objects = target.objects.map((o): SceneObject => {
    const presence = fate(presenceKey(o.kind));
    let kind = o.kind;
    if (presence.misremember) {
      kind = presence.rng.pick([...unused]);
      unused.delete(kind);
    }
    if (presence.forget) forgotten.add(presenceKey(kind));
    const field = <T>(name: string, value: T, values: readonly T[]) =>
      remember(`${o.kind}.${name}`, `${kind}.${name}`, value, values);
    const attributes: Record<string, string> = {};
    if (kind === o.kind) {
      for (const [attribute, values] of Object.entries(KIND_ATTRIBUTES[kind])) {
        const value = o.attributes[attribute];
        if (value !== undefined && values.includes(value)) attributes[attribute] = field(attribute, value, values);
      }
    }
    return {
      kind,
      colour: field('colour', o.colour, COLOURS),
      size: field('size', o.size, SIZES),
      position: field('position', o.position, POSITIONS),
      count: field('count', o.count, COUNTS),
      attributes,
    };
  });
  const scene: Scene = {
    time: remember('time', 'time', target.time, TIMES),
    ground: remember('ground', 'ground', target.ground, GROUNDS),
    weather: remember('weather', 'weather', target.weather, WEATHERS),
    objects,
  };
  return { scene, forgotten };
}
