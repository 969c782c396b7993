import { invalidInput } from '../errors.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';
import { completeScene, fillObjectFields, freeCellFor, placedObject } from './complete-scene.js';
import {
  COLOUR_PRIOR,
  countPrior,
  draw,
  drawFrom,
  GROUND_PRIOR,
  homeCells,
  kindFitsGround,
  kindFitsTime,
  kindPrior,
  KIND_PLACEMENT,
  OBJECT_NUMBER_PRIOR,
  TIME_PRIOR,
  weatherPrior,
  type SceneContext,
  type Weighted,
} from './priors.js';
import type { Scene, SceneObject } from './scene.js';
import { KIND_ATTRIBUTES, MAX_OBJECTS, SIZES, type ObjectKind, type Position } from './vocabulary.js';

/**
 * Archive scenes by random access: scene i of a world depends only on (worldSeed, i), so a
 * million-image world streams without holding its scenes.
 *
 * About 40% of scenes are near-duplicates: mutateOne of an earlier scene, differing in exactly
 * one attribute. They make retrieval hard the way real archives are (many similar photos), and
 * reward a searcher who pins down the one detail that tells them apart. The share is a world
 * parameter (nearDuplicateRate, recorded in the archive's manifest) so the evaluation can report
 * how its results move with it; the default world is unchanged.
 *
 * Each index draws a mutation level from its own seed: level 0 is a fresh scene, level L > 0
 * mutates a nearby earlier scene of level L - 1. Recursion is therefore at most 3 deep (the
 * highest level), and chains of up to 4 related scenes form.
 */
const LEVEL_PRIOR: Weighted<number> = [
  [0, 0.6],
  [1, 0.22],
  [2, 0.12],
  [3, 0.06],
];
/** The share of scenes drawn at a mutation level above 0 in the default world (1 - 0.6). */
export const DEFAULT_NEAR_DUPLICATE_RATE = 0.4;

/**
 * The level prior for a near-duplicate rate: level 0 gets 1 - rate, and levels 1..3 share the
 * rate in the default proportions (0.22 : 0.12 : 0.06). The default rate gives LEVEL_PRIOR itself.
 * (A level above 0 whose source search finds nothing falls back to a fresh scene; over 5,000
 * scenes the realised share is within 0.01 of the rate from 0.2 to 0.9.)
 */
function levelPrior(nearDuplicateRate: number): Weighted<number> {
  if (nearDuplicateRate === DEFAULT_NEAR_DUPLICATE_RATE) return LEVEL_PRIOR;
  if (!(nearDuplicateRate >= 0 && nearDuplicateRate <= 1)) {
    throw invalidInput(`The near-duplicate rate must lie in [0, 1], got ${nearDuplicateRate}.`);
  }
  const scale = nearDuplicateRate / DEFAULT_NEAR_DUPLICATE_RATE;
  return LEVEL_PRIOR.map(([level, weight]) => [level, level === 0 ? 1 - nearDuplicateRate : weight * scale] as const);
}

/** How far back a near-duplicate's source may lie. */
const SOURCE_WINDOW = 64;
/** How many earlier indices are checked for one of the right level before giving up. */
const SOURCE_SEARCH = 64;

export type SceneOrigin = { readonly kind: 'fresh' } | { readonly kind: 'mutation'; readonly of: number };

export function sceneAt(worldSeed: number, index: number, nearDuplicateRate = DEFAULT_NEAR_DUPLICATE_RATE): Scene {
  const origin = sceneOrigin(worldSeed, index, nearDuplicateRate);
  if (origin.kind === 'fresh') return freshScene(new Prng(deriveSeed(worldSeed, index)));
  return mutateOne(sceneAt(worldSeed, origin.of, nearDuplicateRate), new Prng(deriveSeed(worldSeed, index, 'mutation')));
}

/** Whether scene i is drawn fresh or is a one-attribute mutation of an earlier scene (and which). */
export function sceneOrigin(worldSeed: number, index: number, nearDuplicateRate = DEFAULT_NEAR_DUPLICATE_RATE): SceneOrigin {
  if (!Number.isSafeInteger(index) || index < 0) throw invalidInput(`Scene index must be a whole number >= 0, got ${index}.`);
  const prior = levelPrior(nearDuplicateRate);
  const level = levelOf(worldSeed, index, prior);
  if (level === 0 || index === 0) return { kind: 'fresh' };
  const rng = new Prng(deriveSeed(worldSeed, index, 'source'));
  const start = index - 1 - rng.int(0, Math.min(index, SOURCE_WINDOW) - 1);
  for (let j = start; j >= 0 && j > start - SOURCE_SEARCH; j--) {
    if (levelOf(worldSeed, j, prior) === level - 1) return { kind: 'mutation', of: j };
  }
  return { kind: 'fresh' };
}

function levelOf(worldSeed: number, index: number, prior: Weighted<number>): number {
  return draw(prior, new Prng(deriveSeed(worldSeed, index, 'level')));
}

function freshScene(rng: Prng): Scene {
  const time = draw(TIME_PRIOR, rng);
  const ground = draw(GROUND_PRIOR, rng);
  const weather = draw(weatherPrior(ground), rng);
  const context: SceneContext = { time, ground, weather };
  const number = draw(OBJECT_NUMBER_PRIOR, rng);
  const kinds: ObjectKind[] = [];
  for (let i = 0; i < number; i++) {
    const kind = drawFrom(
      kindPrior(context).filter(([k]) => !kinds.includes(k) && hasHomeRoom(k, kinds)),
      rng,
    );
    if (kind !== undefined) kinds.push(kind);
  }
  return completeScene({ time, ground, weather, objects: kinds.map((kind) => ({ kind, attributes: {} })), absent: [] }, rng);
}

/** Sky things live in the three top cells only, so a fourth one would be pushed out of the sky. */
function hasHomeRoom(kind: ObjectKind, chosen: readonly ObjectKind[]): boolean {
  const inSky = (k: ObjectKind) => KIND_PLACEMENT[k] === 'sky';
  return chosen.filter((k) => inSky(k) === inSky(kind)).length < homeCells(kind).length;
}

type MutationCategory = 'colour' | 'size' | 'position' | 'count' | 'attribute' | 'time' | 'ground' | 'weather' | 'add' | 'remove';

/** How often each kind of change makes a near-duplicate; object details change most often. */
const CATEGORY_WEIGHT: { readonly [C in MutationCategory]: number } = {
  colour: 3,
  size: 2,
  position: 1.5,
  count: 1,
  attribute: 2,
  time: 1,
  ground: 0.6,
  weather: 1,
  add: 1,
  remove: 1,
};

interface Mutation {
  readonly category: MutationCategory;
  readonly weight: number;
  readonly apply: () => Scene;
}

/**
 * A scene that differs from `scene` in exactly one attribute: one object's colour, size,
 * position, count or kind attribute, the time, ground or weather, or one object more or fewer.
 * The result keeps the world's rules (kinds unique, cells unique, boats on water, no sun at night).
 */
export function mutateOne(scene: Scene, rng: Prng): Scene {
  const mutations = [...objectMutations(scene), ...sceneMutations(scene, rng)];
  const perCategory = new Map<MutationCategory, number>();
  for (const m of mutations) perCategory.set(m.category, (perCategory.get(m.category) ?? 0) + m.weight);
  const weighted = mutations.map((m) => [m, (CATEGORY_WEIGHT[m.category] * m.weight) / (perCategory.get(m.category) ?? 1)] as const);
  const chosen = drawFrom(weighted, rng);
  // A valid scene always has another size for its first object, so this cannot be empty.
  if (chosen === undefined) throw new Error('Scene admits no mutation');
  return chosen.apply();
}

function objectMutations(scene: Scene): Mutation[] {
  const occupied = new Set(scene.objects.map((o) => o.position));
  const out: Mutation[] = [];
  scene.objects.forEach((object, i) => {
    const change = (category: MutationCategory, weight: number, patch: Partial<SceneObject>) =>
      out.push({ category, weight, apply: () => replaceObject(scene, i, { ...object, ...patch }) });
    for (const [colour, w] of COLOUR_PRIOR[object.kind]) if (colour !== object.colour) change('colour', w, { colour });
    for (const size of SIZES) if (size !== object.size) change('size', 1, { size });
    for (const position of homeCells(object.kind)) if (!occupied.has(position)) change('position', 1, { position });
    for (const [count, w] of countPrior(object.kind)) if (count !== object.count && w > 0) change('count', w, { count });
    for (const [name, values] of Object.entries(KIND_ATTRIBUTES[object.kind])) {
      for (const value of values) {
        if (value !== object.attributes[name]) change('attribute', 1, { attributes: { ...object.attributes, [name]: value } });
      }
    }
    if (scene.objects.length > 1) {
      out.push({ category: 'remove', weight: 1, apply: () => ({ ...scene, objects: scene.objects.filter((_, k) => k !== i) }) });
    }
  });
  return out;
}

function sceneMutations(scene: Scene, rng: Prng): Mutation[] {
  const kinds = scene.objects.map((o) => o.kind);
  const out: Mutation[] = [];
  for (const [time, w] of TIME_PRIOR) {
    if (time !== scene.time && kinds.every((k) => kindFitsTime(k, time))) out.push({ category: 'time', weight: w, apply: () => ({ ...scene, time }) });
  }
  for (const [ground, w] of GROUND_PRIOR) {
    const weatherFits = weatherPrior(ground).some(([weather, p]) => weather === scene.weather && p > 0);
    if (ground !== scene.ground && weatherFits && kinds.every((k) => kindFitsGround(k, ground))) {
      out.push({ category: 'ground', weight: w, apply: () => ({ ...scene, ground }) });
    }
  }
  for (const [weather, w] of weatherPrior(scene.ground)) {
    if (weather !== scene.weather && w > 0) out.push({ category: 'weather', weight: w, apply: () => ({ ...scene, weather }) });
  }
  if (scene.objects.length < MAX_OBJECTS) {
    const occupied = new Set<Position>(scene.objects.map((o) => o.position));
    for (const [kind, w] of kindPrior(scene)) {
      const roomAtHome = homeCells(kind).some((cell) => !occupied.has(cell));
      if (w > 0 && !kinds.includes(kind) && roomAtHome) {
        out.push({ category: 'add', weight: w, apply: () => addObject(scene, kind, occupied, rng) });
      }
    }
  }
  return out;
}

function addObject(scene: Scene, kind: ObjectKind, occupied: ReadonlySet<Position>, rng: Prng): Scene {
  const fields = fillObjectFields({ kind, attributes: {} }, scene, () => rng);
  const position = freeCellFor(kind, occupied, rng) as Position;
  return { ...scene, objects: [...scene.objects, placedObject(fields, position)] };
}

function replaceObject(scene: Scene, index: number, object: SceneObject): Scene {
  return { ...scene, objects: scene.objects.map((o, k) => (k === index ? object : o)) };
}
