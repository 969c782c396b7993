import { invalidInput } from '../errors.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';
import {
  attributePrior,
  COLOUR_PRIOR,
  countPrior,
  draw,
  drawFrom,
  groundPrior,
  kindPrior,
  positionPrior,
  sizePrior,
  timePrior,
  UNNAMED_OBJECT_NUMBER_PRIOR,
  weatherPrior,
  type SceneContext,
} from './priors.js';
import type { PartialScene, PartialSceneObject, Scene, SceneObject } from './scene.js';
import {
  KIND_ATTRIBUTES,
  MAX_COUNT,
  MAX_OBJECTS,
  OBJECT_KINDS,
  POSITIONS,
  type ObjectKind,
  type Position,
} from './vocabulary.js';

/** One independent random stream per decision, so that stating one more fact changes only that fact. */
type Streams = (...purpose: (string | number)[]) => Prng;

/**
 * Fills every attribute a description left unspecified from the world's priors. Each decision
 * draws from its own stream (derived from one draw of `rng`), so refining a description ("the
 * car is red") keeps everything else of the synthetic image as it was for the same seed.
 *
 * Named kinds that the description also says are absent are dropped: a negation is usually the
 * correction. Objects beyond MAX_OBJECTS and repeated kinds (a scene holds each kind once; count
 * says how many) are dropped too, keeping the first mention.
 */
export function completeScene(partial: PartialScene, rng: Prng): Scene {
  const base = rng.int(0, 0xffffffff);
  const stream: Streams = (...purpose) => new Prng(deriveSeed(base, ...purpose));

  const named = namedObjects(partial);
  const kinds = named.map((o) => o.kind);
  const time = partial.time ?? draw(timePrior(kinds), stream('time'));
  const ground = partial.ground ?? draw(groundPrior(kinds, partial.weather), stream('ground'));
  const weather = partial.weather ?? draw(weatherPrior(ground), stream('weather'));
  const context: SceneContext = { time, ground, weather };

  const wanted = named.length > 0 ? named : unnamedObjects(context, partial.absent, stream('kinds'));
  const objects = placeObjects(
    wanted,
    wanted.map((o) => fillObjectFields(o, context, (field) => stream('object', o.kind, field))),
    stream,
  );
  return { time, ground, weather, objects };
}

/** Everything of one object except its position, which depends on the other objects. */
export function fillObjectFields(
  partial: PartialSceneObject,
  context: SceneContext,
  streamFor: (field: string) => Prng,
): Omit<SceneObject, 'position'> {
  const { kind } = partial;
  const attributes: Record<string, string> = {};
  for (const [attribute, values] of Object.entries(KIND_ATTRIBUTES[kind])) {
    const stated = partial.attributes[attribute];
    attributes[attribute] =
      stated !== undefined && values.includes(stated)
        ? stated
        : draw(attributePrior(kind, attribute, context), streamFor(`attribute:${attribute}`));
  }
  return {
    kind,
    colour: partial.colour ?? draw(COLOUR_PRIOR[kind], streamFor('colour')),
    size: partial.size ?? draw(sizePrior(kind), streamFor('size')),
    count:
      partial.count !== undefined
        ? Math.min(MAX_COUNT, Math.max(1, Math.round(partial.count)))
        : draw(countPrior(kind), streamFor('count')),
    attributes,
  };
}

/** A cell for a new object among the free ones: a home cell if one is free, else any free cell. */
export function freeCellFor(kind: ObjectKind, occupied: ReadonlySet<Position>, rng: Prng): Position | undefined {
  const home = positionPrior(kind).filter(([cell]) => !occupied.has(cell));
  if (home.length > 0) return rng.weighted(home);
  const free = POSITIONS.filter((cell) => !occupied.has(cell));
  return free.length > 0 ? rng.pick(free) : undefined;
}

function namedObjects(partial: PartialScene): PartialSceneObject[] {
  const seen = new Set<ObjectKind>(partial.absent);
  const named: PartialSceneObject[] = [];
  for (const object of partial.objects) {
    if (seen.has(object.kind) || named.length === MAX_OBJECTS) continue;
    seen.add(object.kind);
    named.push(object);
  }
  return named;
}

function unnamedObjects(context: SceneContext, absent: readonly ObjectKind[], rng: Prng): PartialSceneObject[] {
  const allowed = OBJECT_KINDS.filter((kind) => !absent.includes(kind));
  if (allowed.length === 0) throw invalidInput('The description rules out every kind of object; a scene needs at least one.');
  const number = draw(UNNAMED_OBJECT_NUMBER_PRIOR, rng);
  const fitting = kindPrior(context).filter(([kind]) => allowed.includes(kind));
  const chosen: ObjectKind[] = [];
  for (let i = 0; i < number; i++) {
    const kind = drawFrom(
      fitting.filter(([k]) => !chosen.includes(k)),
      rng,
    );
    if (kind !== undefined) chosen.push(kind);
  }
  // Every fitting kind was ruled out ("no boat, no cloud, ..." on water): draw from what is left.
  if (chosen.length === 0) chosen.push(rng.pick(allowed));
  return chosen.map((kind) => ({ kind, attributes: {} }));
}

/**
 * Stated positions first, in mention order; a clash moves the later object to the nearest free
 * cell (grid distance, ties in reading order). Then the rest, each drawn from its free home cells.
 */
function placeObjects(
  wanted: readonly PartialSceneObject[],
  filled: readonly Omit<SceneObject, 'position'>[],
  stream: Streams,
): SceneObject[] {
  const occupied = new Set<Position>();
  const positions: (Position | undefined)[] = wanted.map((o) => {
    if (o.position === undefined) return undefined;
    const cell = occupied.has(o.position) ? nearestFreeCell(o.position, occupied) : o.position;
    occupied.add(cell);
    return cell;
  });
  return filled.map((fields, i) => {
    let position = positions[i];
    if (position === undefined) {
      // At most MAX_OBJECTS (< 9) objects, so a free cell always exists.
      position = freeCellFor(fields.kind, occupied, stream('object', fields.kind, 'position')) as Position;
      occupied.add(position);
    }
    return placedObject(fields, position);
  });
}

/** The object with its position, fields in schema order (so scenes serialise the same way everywhere). */
export function placedObject(fields: Omit<SceneObject, 'position'>, position: Position): SceneObject {
  const { kind, colour, size, count, attributes } = fields;
  return { kind, colour, size, position, count, attributes };
}

function nearestFreeCell(from: Position, occupied: ReadonlySet<Position>): Position {
  const origin = POSITIONS.indexOf(from);
  let best: Position = from;
  let bestDistance = Infinity;
  POSITIONS.forEach((cell, i) => {
    if (occupied.has(cell)) return;
    const distance = Math.abs(Math.floor(i / 3) - Math.floor(origin / 3)) + Math.abs((i % 3) - (origin % 3));
    if (distance < bestDistance) {
      best = cell;
      bestDistance = distance;
    }
  });
  return best;
}
