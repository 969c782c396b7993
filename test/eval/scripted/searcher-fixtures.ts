import { flattenAttributes } from '../../../core/scenes/scenes-attribute-reader.js';
import { parseDescription } from '../../../core/scenes/parser.js';
import { renderScene } from '../../../core/scenes/renderer.js';
import type { Scene } from '../../../core/scenes/scene.js';
import type { ObjectKind } from '../../../core/scenes/vocabulary.js';
import type { ShownFeedback } from '../../../core/eval/searcher.js';
import { encodeImage } from '../../../core/images/encode.js';
import type { EncodedImage } from '../../../core/images/raw-image.js';

/** A small dog, a large car and a medium house: sizes out of scene order, so salience must sort them. */
export const TARGET: Scene = {
  time: 'night',
  ground: 'road',
  weather: 'rainy',
  objects: [
    { kind: 'dog', colour: 'brown', size: 'small', position: 'bottom-right', count: 2, attributes: { pattern: 'spotted' } },
    { kind: 'car', colour: 'red', size: 'large', position: 'bottom-left', count: 1, attributes: { body: 'van' } },
    { kind: 'house', colour: 'white', size: 'medium', position: 'left', count: 1, attributes: { roof: 'flat', windows: 'lit' } },
  ],
};

export const NO_NOISE = { pForget: 0, pMisremember: 0 } as const;

/** TARGET's facts, most salient first, written out from the documented order (not computed). */
export const TARGET_FACTS_BY_SALIENCE = [
  'has.car',
  'has.house',
  'has.dog',
  'time',
  'ground',
  'car.colour',
  'house.colour',
  'dog.colour',
  'car.size',
  'house.size',
  'dog.size',
  'car.position',
  'house.position',
  'dog.position',
  'car.count',
  'house.count',
  'dog.count',
  'car.body',
  'house.roof',
  'house.windows',
  'dog.pattern',
  'weather',
] as const;

/** A copy of `scene` with one object's fields changed (or the object removed, for `null`). */
export function changed(scene: Scene, kind: ObjectKind, change: Partial<Scene['objects'][number]> | null): Scene {
  const objects = scene.objects.flatMap((o) => (o.kind !== kind ? [o] : change === null ? [] : [{ ...o, ...change }]));
  return { ...scene, objects };
}

const images = new Map<string, Promise<EncodedImage>>();

/** A real PNG of the scene (the scripted searcher never decodes it, but a person would be shown it). */
export function imageOf(scene: Scene): Promise<EncodedImage> {
  const key = JSON.stringify(scene);
  let image = images.get(key);
  if (!image) {
    image = renderScene(scene, { size: 64 }).then((raw) => encodeImage(raw));
    images.set(key, image);
  }
  return image;
}

const base = { round: 0, previousQuery: 'previous description' };

export async function syntheticFeedback(interpretations: readonly (Record<string, unknown> | undefined)[]): Promise<ShownFeedback> {
  const rendered = await imageOf(TARGET);
  const images = interpretations.map((interpretation, i) => ({ id: `synthetic-${i}`, seed: i, ...(interpretation ? { interpretation } : {}) }));
  return {
    ...base,
    feedback: { kind: 'synthetic', images },
    synthetic: interpretations.map((interpretation) => ({ image: rendered, ...(interpretation ? { interpretation } : {}) })),
  };
}

export async function top1Feedback(id: string, scene: Scene): Promise<ShownFeedback> {
  return { ...base, feedback: { kind: 'top1', imageId: id }, synthetic: [], top1: { id, image: await imageOf(scene) } };
}

export function questionFeedback(attribute: string): ShownFeedback {
  return { ...base, feedback: { kind: 'question', attribute, text: `Question about ${attribute}?` }, synthetic: [] };
}

export const TEXT_FEEDBACK: ShownFeedback = { ...base, feedback: { kind: 'none' }, synthetic: [] };

/** What a description says, as attribute keys; "has.<kind>" only for kinds it names or rules out. */
export function saidFacts(text: string): Record<string, string> {
  const parsed = parseDescription(text);
  const flat = flattenAttributes(parsed);
  const named = new Set([...parsed.objects.map((o) => `has.${o.kind}`), ...parsed.absent.map((k) => `has.${k}`)]);
  return Object.fromEntries(Object.entries(flat).filter(([key]) => !key.startsWith('has.') || named.has(key)));
}
