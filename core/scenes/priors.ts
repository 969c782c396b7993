import type { Prng } from '../random/prng.js';
import {
  COLOURS,
  KIND_ATTRIBUTES,
  MAX_COUNT,
  OBJECT_KINDS,
  POSITIONS,
  type Colour,
  type Ground,
  type ObjectKind,
  type Position,
  type Size,
  type TimeOfDay,
  type Weather,
} from './vocabulary.js';

/**
 * The prior distributions of the Scenes world. The sampler draws archive scenes from them and
 * completeScene fills in what a description leaves out, so a synthetic image assumes what the
 * archive most likely holds. They are deliberately non-uniform (trees are mostly green, most
 * things come one at a time) with light coupling only where a scene would otherwise look absurd
 * (no sun at night, boats only on water).
 */

export type Weighted<T> = readonly (readonly [T, number])[];

/** Scene-level facts that object priors may depend on. */
export interface SceneContext {
  readonly time: TimeOfDay;
  readonly ground: Ground;
  readonly weather: Weather;
}

/** Where a kind can stand: in the sky (top row), on land or on water (middle and bottom rows). */
export type Placement = 'sky' | 'land' | 'water';

export const KIND_PLACEMENT: { readonly [K in ObjectKind]: Placement } = {
  house: 'land',
  tree: 'land',
  car: 'land',
  boat: 'water',
  person: 'land',
  dog: 'land',
  cat: 'land',
  sun: 'sky',
  moon: 'sky',
  cloud: 'sky',
  balloon: 'sky',
  flower: 'land',
  bicycle: 'land',
  bird: 'sky',
  kite: 'sky',
  tent: 'land',
};

const SKY_CELLS: readonly Position[] = POSITIONS.slice(0, 3);
const GROUND_CELLS: readonly Position[] = POSITIONS.slice(3);

/** Cells a kind is drawn in when nothing forces it elsewhere. */
export function homeCells(kind: ObjectKind): readonly Position[] {
  return KIND_PLACEMENT[kind] === 'sky' ? SKY_CELLS : GROUND_CELLS;
}

export function kindFitsGround(kind: ObjectKind, ground: Ground): boolean {
  const placement = KIND_PLACEMENT[kind];
  if (placement === 'sky') return true;
  return (placement === 'water') === (ground === 'water');
}

/** How much likelier a kind is at a time of day than on average; 0 (the sun at night) is never. */
function timeAffinity(kind: ObjectKind, time: TimeOfDay): number {
  if (kind === 'sun') return time === 'night' ? 0 : 1;
  if (kind === 'moon') return time === 'night' ? 4 : 0.25;
  return 1;
}

export function kindFitsTime(kind: ObjectKind, time: TimeOfDay): boolean {
  return timeAffinity(kind, time) > 0;
}

export const TIME_PRIOR: Weighted<TimeOfDay> = [
  ['day', 0.55],
  ['sunset', 0.15],
  ['night', 0.2],
  ['dawn', 0.1],
];

export const GROUND_PRIOR: Weighted<Ground> = [
  ['grass', 0.4],
  ['road', 0.2],
  ['sand', 0.15],
  ['water', 0.15],
  ['snow', 0.1],
];

/** Time of day given the kinds a description names (Bayes): a sun rules out night, a moon favours it. */
export function timePrior(kinds: readonly ObjectKind[]): Weighted<TimeOfDay> {
  return TIME_PRIOR.map(([time, w]) => [time, kinds.reduce((p, kind) => p * timeAffinity(kind, time), w)] as const);
}

/**
 * Ground given the named kinds (boats need water, land things need land) and, when the
 * description states it, the weather: P(ground) * P(weather | ground), so that snowfall makes
 * snow on the ground likelier and rain rules it out. When the kinds contradict each other no
 * ground fits them all, and the plain prior applies.
 */
export function groundPrior(kinds: readonly ObjectKind[], weather?: Weather): Weighted<Ground> {
  const fitting = GROUND_PRIOR.filter(([ground]) => kinds.every((kind) => kindFitsGround(kind, ground)));
  const base = fitting.length > 0 ? fitting : GROUND_PRIOR;
  if (weather === undefined) return base;
  const joint = base.map(([ground, w]) => [ground, w * weatherLikelihood(ground, weather)] as const);
  return joint.some(([, w]) => w > 0) ? joint : base;
}

function weatherLikelihood(ground: Ground, weather: Weather): number {
  return weatherPrior(ground).find(([w]) => w === weather)?.[1] ?? 0;
}

export function weatherPrior(ground: Ground): Weighted<Weather> {
  if (ground === 'snow') {
    return [
      ['clear', 0.35],
      ['cloudy', 0.2],
      ['rainy', 0],
      ['foggy', 0.1],
      ['snowy', 0.35],
    ];
  }
  return [
    ['clear', 0.47],
    ['cloudy', 0.25],
    ['rainy', 0.12],
    ['foggy', 0.1],
    ['snowy', 0.06],
  ];
}

/** How many objects a sampled archive scene holds. */
export const OBJECT_NUMBER_PRIOR: Weighted<number> = [
  [1, 0.25],
  [2, 0.35],
  [3, 0.25],
  [4, 0.15],
];

/** How many objects completeScene draws when a description names none. */
export const UNNAMED_OBJECT_NUMBER_PRIOR: Weighted<number> = [
  [1, 0.6],
  [2, 0.4],
];

const KIND_FREQUENCY: { readonly [K in ObjectKind]: number } = {
  house: 12,
  tree: 14,
  car: 9,
  boat: 10,
  person: 10,
  dog: 7,
  cat: 6,
  sun: 8,
  moon: 5,
  cloud: 12,
  balloon: 4,
  flower: 7,
  bicycle: 5,
  bird: 8,
  kite: 4,
  tent: 4,
};

/** Kind frequencies in a given scene; kinds that cannot appear in it get weight 0. */
export function kindPrior(context: SceneContext): Weighted<ObjectKind> {
  return OBJECT_KINDS.map((kind) => {
    if (!kindFitsGround(kind, context.ground)) return [kind, 0] as const;
    let w = KIND_FREQUENCY[kind] * timeAffinity(kind, context.time);
    if ((kind === 'sun' || kind === 'kite') && context.weather !== 'clear' && context.weather !== 'cloudy') w *= 0.3;
    if (kind === 'cloud' && context.weather !== 'clear') w *= 2;
    return [kind, w] as const;
  });
}

const ANY_COLOUR: Weighted<Colour> = COLOURS.map((c) => [c, 1] as const);

export const COLOUR_PRIOR: { readonly [K in ObjectKind]: Weighted<Colour> } = {
  house: [['red', 3], ['white', 3], ['brown', 2], ['yellow', 2], ['blue', 1.5], ['grey', 1.5], ['green', 0.5], ['pink', 0.5], ['orange', 0.5]],
  tree: [['green', 10], ['brown', 1.5], ['orange', 1], ['yellow', 0.7], ['red', 0.5], ['pink', 0.3]],
  car: [['red', 3], ['blue', 3], ['black', 3], ['white', 3], ['grey', 2], ['yellow', 1], ['green', 1], ['brown', 0.6], ['orange', 0.7], ['purple', 0.5], ['pink', 0.4]],
  boat: [['white', 4], ['red', 2], ['blue', 2], ['yellow', 1], ['orange', 0.7], ['green', 0.7], ['brown', 0.7], ['black', 0.5], ['grey', 0.5]],
  person: ANY_COLOUR,
  dog: [['brown', 4], ['black', 2], ['white', 2], ['grey', 1], ['yellow', 1], ['orange', 0.5]],
  cat: [['grey', 3], ['black', 3], ['orange', 3], ['white', 2], ['brown', 1.5]],
  sun: [['yellow', 6], ['orange', 3], ['red', 1], ['white', 0.3]],
  moon: [['white', 5], ['yellow', 3], ['grey', 2], ['orange', 0.5]],
  cloud: [['white', 6], ['grey', 4], ['black', 0.5], ['pink', 0.5]],
  balloon: [['red', 4], ['yellow', 2], ['blue', 2], ['green', 1.5], ['pink', 1.5], ['purple', 1.5], ['orange', 1.5], ['white', 0.5]],
  flower: [['red', 3], ['yellow', 3], ['pink', 3], ['purple', 2], ['white', 2], ['orange', 1.5], ['blue', 1]],
  bicycle: ANY_COLOUR,
  bird: [['black', 3], ['brown', 2], ['blue', 2], ['red', 1.5], ['yellow', 1.5], ['white', 1.5], ['grey', 1]],
  kite: [['red', 3], ['yellow', 2], ['blue', 2], ['green', 1], ['purple', 1], ['orange', 1], ['pink', 1]],
  tent: [['green', 3], ['orange', 3], ['blue', 2], ['red', 2], ['yellow', 2], ['grey', 0.5]],
};

const DEFAULT_SIZE_PRIOR: Weighted<Size> = [['small', 0.25], ['medium', 0.5], ['large', 0.25]];

export function sizePrior(kind: ObjectKind): Weighted<Size> {
  if (kind === 'house' || kind === 'tree') return [['small', 0.15], ['medium', 0.45], ['large', 0.4]];
  if (kind === 'flower' || kind === 'bird') return [['small', 0.45], ['medium', 0.4], ['large', 0.15]];
  return DEFAULT_SIZE_PRIOR;
}

/** Home cells, the ones nearer the viewer (bottom row) a little likelier for small things. */
export function positionPrior(kind: ObjectKind): Weighted<Position> {
  const bottomFavoured = kind === 'flower' || kind === 'dog' || kind === 'cat';
  return homeCells(kind).map((cell) => [cell, bottomFavoured && cell.startsWith('bottom') ? 2 : 1] as const);
}

export function countPrior(kind: ObjectKind): Weighted<number> {
  const weights: readonly number[] =
    kind === 'sun' || kind === 'moon'
      ? [1]
      : kind === 'bird' || kind === 'flower' || kind === 'balloon'
        ? [0.5, 0.25, 0.25]
        : kind === 'house' || kind === 'tent' || kind === 'boat'
          ? [0.85, 0.1, 0.05]
          : [0.75, 0.15, 0.1];
  return weights.slice(0, MAX_COUNT).map((w, i) => [i + 1, w] as const);
}

/** Kind-specific attribute values: the first listed is the common one, with light coupling to the scene. */
export function attributePrior(kind: ObjectKind, attribute: string, context: SceneContext): Weighted<string> {
  const values = KIND_ATTRIBUTES[kind][attribute] ?? [];
  const firstShare =
    kind === 'house' && attribute === 'windows' && context.time === 'night'
      ? 0.2
      : kind === 'cloud' && attribute === 'shade' && (context.weather === 'rainy' || context.weather === 'snowy')
        ? 0.25
        : kind === 'tree' && attribute === 'shape' && context.ground === 'sand'
          ? 0.35
          : 0.7;
  const rest = values.length > 1 ? (1 - firstShare) / (values.length - 1) : 0;
  return values.map((value, i) => [value, i === 0 ? firstShare : rest] as const);
}

/**
 * Draws from a prior, ignoring zero weights; undefined when nothing has weight. (Prng.weighted
 * would return the last item of an all-zero list, which here would be a forbidden value.)
 */
export function drawFrom<T>(prior: Weighted<T>, rng: Prng): T | undefined {
  const possible = prior.filter(([, w]) => w > 0);
  return possible.length > 0 ? rng.weighted(possible) : undefined;
}

/** Draws from a prior that always has some weight; an empty one is a bug in this file. */
export function draw<T>(prior: Weighted<T>, rng: Prng): T {
  const value = drawFrom(prior, rng);
  if (value === undefined) throw new Error('Scenes prior with no positive weight');
  return value;
}
