/**
 * Turns a (partial) scene into one English sentence that parseDescription reads back exactly.
 * The wording below is chosen for that round trip (test/adapters/scenes/describe.test.ts checks
 * it on random scenes): change a phrase here only together with the lexicon in synonyms.ts.
 */
import type { PartialScene, PartialSceneObject, Scene } from './scene.js';
import {
  KIND_ATTRIBUTES,
  type Ground,
  type ObjectKind,
  type Position,
  type TimeOfDay,
  type Weather,
} from './vocabulary.js';

/** Singular and plural forms of a phrase. */
type Forms = readonly [singular: string, plural: string];

/**
 * How one attribute value is said: an adjective before the noun, a noun that replaces the
 * kind's own ("sedan"), or a phrase after the noun ("with a pointed roof").
 */
type Wording = { readonly before: string } | { readonly noun: Forms } | { readonly after: Forms };

const same = (phrase: string): Forms => [phrase, phrase];

export const KIND_NOUNS: { readonly [K in ObjectKind]: Forms } = {
  house: ['house', 'houses'],
  tree: ['tree', 'trees'],
  car: ['car', 'cars'],
  boat: ['boat', 'boats'],
  person: ['person', 'people'],
  dog: ['dog', 'dogs'],
  cat: ['cat', 'cats'],
  sun: ['sun', 'suns'],
  moon: ['moon', 'moons'],
  cloud: ['cloud', 'clouds'],
  balloon: ['balloon', 'balloons'],
  flower: ['flower', 'flowers'],
  bicycle: ['bicycle', 'bicycles'],
  bird: ['bird', 'birds'],
  kite: ['kite', 'kites'],
  tent: ['tent', 'tents'],
};

const WORDINGS: { readonly [K in ObjectKind]: { readonly [attribute: string]: { readonly [value: string]: Wording } } } = {
  house: {
    roof: { pointed: { after: ['with a pointed roof', 'with pointed roofs'] }, flat: { after: ['with a flat roof', 'with flat roofs'] } },
    windows: { dark: { after: same('with dark windows') }, lit: { after: same('with lit windows') } },
  },
  tree: {
    shape: { round: { before: 'round' }, pine: { noun: ['pine tree', 'pine trees'] }, palm: { noun: ['palm tree', 'palm trees'] } },
  },
  car: {
    body: { sedan: { noun: ['sedan', 'sedans'] }, truck: { noun: ['truck', 'trucks'] }, van: { noun: ['van', 'vans'] } },
  },
  boat: { propulsion: { sail: { noun: ['sailboat', 'sailboats'] }, motor: { noun: ['motorboat', 'motorboats'] } } },
  person: {
    hat: { hat: { after: ['wearing a hat', 'wearing hats'] }, 'no hat': { after: ['without a hat', 'without hats'] } },
    pose: { standing: { before: 'standing' }, waving: { before: 'waving' } },
  },
  dog: { pattern: { plain: { before: 'plain' }, spotted: { before: 'spotted' } } },
  cat: { pattern: { plain: { before: 'plain' }, striped: { before: 'striped' } } },
  sun: { rays: { rays: { after: same('with rays') }, 'no rays': { after: same('without rays') } } },
  moon: { phase: { full: { before: 'full' }, crescent: { before: 'crescent' } } },
  cloud: { shade: { light: { before: 'light' }, dark: { before: 'dark' } } },
  balloon: {
    string: { string: { after: ['with a string', 'with strings'] }, 'no string': { after: ['without a string', 'without strings'] } },
  },
  flower: { petals: { round: { after: same('with round petals') }, pointed: { after: same('with pointed petals') } } },
  bicycle: {
    basket: { basket: { after: ['with a basket', 'with baskets'] }, 'no basket': { after: ['without a basket', 'without baskets'] } },
  },
  bird: { wings: { spread: { after: same('with spread wings') }, folded: { after: same('with folded wings') } } },
  kite: { tail: { tail: { after: ['with a tail', 'with tails'] }, 'no tail': { after: ['without a tail', 'without tails'] } } },
  tent: { door: { open: { before: 'open' }, closed: { before: 'closed' } } },
};

/** Kinds whose colour reads better after the noun ("a person in red"). */
const COLOUR_AFTER: ReadonlySet<ObjectKind> = new Set(['person']);

export const POSITION_PHRASES: { readonly [P in Position]: string } = {
  'top-left': 'in the top left',
  top: 'at the top',
  'top-right': 'in the top right',
  left: 'on the left',
  center: 'in the center',
  right: 'on the right',
  'bottom-left': 'in the bottom left',
  bottom: 'at the bottom',
  'bottom-right': 'in the bottom right',
};

const GROUND_PHRASES: { readonly [G in Ground]: string } = {
  grass: 'on grass',
  sand: 'on sand',
  water: 'on water',
  snow: 'on snow',
  road: 'on a road',
};

const TIME_PHRASES: { readonly [T in TimeOfDay]: string } = {
  day: 'during the day',
  sunset: 'at sunset',
  night: 'at night',
  dawn: 'at dawn',
};

const WEATHER_PHRASES: { readonly [W in Weather]: string } = {
  clear: 'under a clear sky',
  cloudy: 'under a cloudy sky',
  rainy: 'in the rain',
  foggy: 'in the fog',
  snowy: 'in falling snow',
};

const NUMBER_WORDS = ['no', 'a', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** "a, b and c" (or "a, b or c"). */
export function joinList(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export function article(nextWord: string): string {
  return /^[aeiou]/.test(nextWord) ? 'an' : 'a';
}

function wordingOf(kind: ObjectKind, attribute: string, value: string): Wording | undefined {
  const values = Object.hasOwn(WORDINGS[kind], attribute) ? WORDINGS[kind][attribute] : undefined;
  return values && Object.hasOwn(values, value) ? values[value] : undefined;
}

function describeObject(o: PartialSceneObject): string {
  const plural = o.count !== undefined && o.count > 1;
  const form = (forms: Forms) => (plural ? forms[1] : forms[0]);
  let noun = form(KIND_NOUNS[o.kind]);
  const before: string[] = [];
  const withs: string[] = [];
  const others: string[] = [];
  for (const [attribute, value] of Object.entries(o.attributes)) {
    const wording = wordingOf(o.kind, attribute, value);
    if (!wording) continue; // outside the vocabulary: nothing can say it
    if ('before' in wording) before.push(wording.before);
    else if ('noun' in wording) noun = form(wording.noun);
    else {
      const phrase = form(wording.after);
      if (phrase.startsWith('with ')) withs.push(phrase.slice('with '.length));
      else others.push(phrase);
    }
  }
  const colourAfter = o.colour !== undefined && COLOUR_AFTER.has(o.kind);
  const head = [o.size, ...before, colourAfter ? undefined : o.colour, noun].filter((w) => w !== undefined);
  const first = head[0] ?? noun;
  const determiner =
    o.count === undefined ? 'the' : o.count === 1 ? article(first) : (NUMBER_WORDS[o.count] ?? String(o.count));
  const words = [determiner, ...head];
  if (colourAfter) words.push(`in ${o.colour}`);
  if (withs.length > 0) words.push(`with ${joinList(withs)}`);
  words.push(...others);
  if (o.position) words.push(POSITION_PHRASES[o.position]);
  return words.join(' ');
}

function absentNoun(kind: ObjectKind): string {
  // "no sun" and "no moon" read better than plurals, which these kinds hardly have.
  return kind === 'sun' || kind === 'moon' ? KIND_NOUNS[kind][0] : KIND_NOUNS[kind][1];
}

/** One sentence that parseDescription reads back as `p` (for values inside the vocabulary). */
export function describePartialScene(p: PartialScene): string {
  const parts: string[] = [];
  parts.push(p.objects.length > 0 ? joinList(p.objects.map(describeObject)) : 'a scene');
  if (p.ground) parts.push(GROUND_PHRASES[p.ground]);
  if (p.time) parts.push(TIME_PHRASES[p.time]);
  if (p.weather) parts.push(WEATHER_PHRASES[p.weather]);
  if (p.absent.length > 0) parts.push(`with ${joinList(p.absent.map((k) => `no ${absentNoun(k)}`))}`);
  if (parts.length === 1 && p.objects.length === 0) return 'An empty scene.';
  const sentence = parts.join(', ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/**
 * What a full scene says, as a PartialScene. Attributes outside KIND_ATTRIBUTES are dropped,
 * since no caption could state them.
 */
export function toPartialScene(scene: Scene): PartialScene {
  return {
    time: scene.time,
    ground: scene.ground,
    weather: scene.weather,
    objects: scene.objects.map((o) => {
      const allowed = KIND_ATTRIBUTES[o.kind];
      const attributes: Record<string, string> = {};
      for (const [attribute, value] of Object.entries(o.attributes)) {
        if (Object.hasOwn(allowed, attribute) && allowed[attribute]?.includes(value)) attributes[attribute] = value;
      }
      return { kind: o.kind, colour: o.colour, size: o.size, position: o.position, count: o.count, attributes };
    }),
    absent: [],
  };
}
