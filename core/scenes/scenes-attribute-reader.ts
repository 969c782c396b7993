/**
 * Attributes of Scenes captions as a flat map, and questions about them, for the `verbal`
 * strategy. Keys:
 *   time | ground | weather
 *   has.<kind>                                 'yes' | 'no', for every kind
 *   <kind>.colour | .size | .position | .count ('1'..'3')
 *   <kind>.<attribute>                         from KIND_ATTRIBUTES (e.g. car.body, person.hat)
 */
import { invalidInput } from '../errors.js';
import type { AttributeReader } from '../ports/attribute-reader.js';
import { article, joinList, KIND_NOUNS, toPartialScene } from './describe.js';
import { parseDescription } from './parser.js';
import type { PartialScene, Scene } from './scene.js';
import { KIND_ATTRIBUTES, OBJECT_KINDS, type ObjectKind } from './vocabulary.js';

/** What attributeValueOf answers for a key about an object the scene does not have. */
export const NOT_IN_SCENE = 'none';

/** Options are offered only for this many distinct values; more would not be a quick question. */
const MIN_OPTIONS = 2;
const MAX_OPTIONS = 4;

const OBJECT_FIELDS = ['colour', 'size', 'position', 'count'] as const;

/** The one place where a PartialScene becomes attribute keys and values. */
export function flattenAttributes(p: PartialScene): Record<string, string> {
  const flat: Record<string, string> = {};
  if (p.time) flat.time = p.time;
  if (p.ground) flat.ground = p.ground;
  if (p.weather) flat.weather = p.weather;
  const present = new Set(p.objects.map((o) => o.kind));
  for (const kind of OBJECT_KINDS) flat[`has.${kind}`] = present.has(kind) ? 'yes' : 'no';
  for (const o of p.objects) {
    for (const field of OBJECT_FIELDS) {
      const value = o[field];
      if (value !== undefined) flat[`${o.kind}.${field}`] = String(value);
    }
    for (const [attribute, value] of Object.entries(o.attributes)) flat[`${o.kind}.${attribute}`] = value;
  }
  return flat;
}

type ParsedKey =
  | { readonly scope: 'scene'; readonly name: 'time' | 'ground' | 'weather' }
  | { readonly scope: 'has'; readonly kind: ObjectKind }
  | { readonly scope: 'object'; readonly kind: ObjectKind; readonly name: string };

const isKind = (word: string): word is ObjectKind => (OBJECT_KINDS as readonly string[]).includes(word);

function parseKey(attribute: string): ParsedKey {
  if (attribute === 'time' || attribute === 'ground' || attribute === 'weather') return { scope: 'scene', name: attribute };
  const dot = attribute.indexOf('.');
  const head = attribute.slice(0, dot);
  const name = attribute.slice(dot + 1);
  if (dot > 0 && head === 'has' && isKind(name)) return { scope: 'has', kind: name };
  if (dot > 0 && isKind(head)) {
    const fields: readonly string[] = OBJECT_FIELDS;
    if (fields.includes(name) || Object.hasOwn(KIND_ATTRIBUTES[head], name)) return { scope: 'object', kind: head, name };
  }
  throw invalidInput(
    `Unknown Scenes attribute "${attribute}": expected time, ground, weather, has.<kind>, or <kind>.<colour|size|position|count|kind attribute>.`,
  );
}

/**
 * The true value of an attribute in a full scene, under the same keys as attributesOf reads
 * from captions; NOT_IN_SCENE for a key about an object the scene does not have.
 */
export function attributeValueOf(scene: Scene, attribute: string): string {
  parseKey(attribute);
  return flattenAttributes(toPartialScene(scene))[attribute] ?? NOT_IN_SCENE;
}

const COUNT_WORDS: Readonly<Record<string, string>> = { '1': 'one', '2': 'two', '3': 'three' };

function shown(name: string, value: string): string {
  if (name === 'position') return value.replace('-', ' ');
  if (name === 'count') return COUNT_WORDS[value] ?? value;
  return value;
}

/** Yes/no questions for attributes that are a thing's presence ("hat" / "no hat"). */
const PRESENCE_QUESTIONS: Readonly<Record<string, string>> = {
  'person.hat': 'Is the person wearing a hat?',
  'sun.rays': 'Does the sun have rays?',
  'balloon.string': 'Does the balloon have a string?',
  'bicycle.basket': 'Does the bicycle have a basket?',
  'kite.tail': 'Does the kite have a tail?',
};

/** Question stems for the other kind attributes; options follow a colon. */
const ATTRIBUTE_STEMS: Readonly<Record<string, string>> = {
  'house.roof': 'What kind of roof does the house have',
  'house.windows': 'What are the windows of the house like',
  'tree.shape': 'What kind of tree is it',
  'car.body': 'What kind of car is it',
  'boat.propulsion': 'How is the boat driven',
  'person.pose': 'What is the person doing',
  'dog.pattern': 'What does the coat of the dog look like',
  'cat.pattern': 'What does the coat of the cat look like',
  'moon.phase': 'What phase is the moon in',
  'cloud.shade': 'How dark is the cloud',
  'flower.petals': 'What shape are the petals of the flower',
  'bird.wings': 'What are the wings of the bird like',
  'tent.door': 'What is the door of the tent like',
};

function objectStem(kind: ObjectKind, name: string): string {
  const noun = KIND_NOUNS[kind][0];
  switch (name) {
    case 'colour':
      return `What colour is the ${noun}`;
    case 'size':
      return `How big is the ${noun}`;
    case 'position':
      return `Where is the ${noun}`;
    case 'count':
      return `How many ${KIND_NOUNS[kind][1]} are there`;
    default:
      return ATTRIBUTE_STEMS[`${kind}.${name}`] ?? `What is the ${name} of the ${noun}`;
  }
}

export class ScenesAttributeReader implements AttributeReader {
  attributesOf(caption: string): Record<string, string> {
    return flattenAttributes(parseDescription(caption));
  }

  question(attribute: string, values: readonly string[]): string {
    const key = parseKey(attribute);
    const name = key.scope === 'has' ? '' : key.name;
    const distinct = [...new Set(values)];
    const options =
      distinct.length >= MIN_OPTIONS && distinct.length <= MAX_OPTIONS
        ? joinList(distinct.map((v) => shown(name, v)), 'or')
        : undefined;
    switch (key.scope) {
      case 'has':
        {
        const noun = KIND_NOUNS[key.kind][0];
        return `Is there ${article(noun)} ${noun} in the picture?`;
      }
      case 'scene':
        if (key.name === 'time') return options ? `Is it ${options} in the picture?` : 'What time of day is it in the picture?';
        if (key.name === 'ground') return options ? `Is the ground ${options}?` : 'What is the ground like in the picture?';
        return options ? `Is the weather ${options}?` : 'What is the weather like in the picture?';
      case 'object': {
        const presence = PRESENCE_QUESTIONS[attribute];
        if (presence) return presence;
        const stem = objectStem(key.kind, key.name);
        return options ? `${stem}: ${options}?` : `${stem}?`;
      }
    }
  }
}
