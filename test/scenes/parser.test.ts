import { describe, expect, it } from 'vitest';
import { parseDescription } from '../../core/scenes/parser.js';
import type { PartialScene, PartialSceneObject } from '../../core/scenes/scene.js';
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
} from '../../core/scenes/vocabulary.js';
import { LEXICON } from '../../core/scenes/synonyms.js';
import { Prng } from '../../core/random/prng.js';

type ObjectSpec = Omit<PartialSceneObject, 'attributes'> & { attributes?: Record<string, string> };

const obj = (spec: ObjectSpec): PartialSceneObject => ({ attributes: {}, ...spec });

function scene(objects: ObjectSpec[], rest: Partial<Omit<PartialScene, 'objects'>> = {}): PartialScene {
  return { absent: [], ...rest, objects: objects.map(obj) };
}

const CASES: readonly (readonly [string, PartialScene])[] = [
  // counts and articles
  ['a dog', scene([{ kind: 'dog', count: 1 }])],
  ['three cars', scene([{ kind: 'car', count: 3 }])],
  ['3 cars', scene([{ kind: 'car', count: 3 }])],
  ['a pair of cats', scene([{ kind: 'cat', count: 2 }])],
  ['several balloons', scene([{ kind: 'balloon', count: 3 }])],
  ['dogs', scene([{ kind: 'dog' }])],
  ['five kites', scene([{ kind: 'kite', count: MAX_COUNT }])],
  ['a man and a woman', scene([{ kind: 'person', count: 2 }])],
  ['children', scene([{ kind: 'person' }])],
  // kind synonyms and the attributes they imply
  ['an automobile', scene([{ kind: 'car', count: 1 }])],
  ['a red sedan', scene([{ kind: 'car', count: 1, colour: 'red', attributes: { body: 'sedan' } }])],
  ['two trucks', scene([{ kind: 'car', count: 2, attributes: { body: 'truck' } }])],
  ['a puppy and two kittens', scene([{ kind: 'dog', count: 1 }, { kind: 'cat', count: 2 }])],
  ['a sailboat on the lake', scene([{ kind: 'boat', count: 1, attributes: { propulsion: 'sail' } }], { ground: 'water' })],
  ['a speedboat', scene([{ kind: 'boat', count: 1, attributes: { propulsion: 'motor' } }])],
  ['a cottage', scene([{ kind: 'house', count: 1 }])],
  ['a tall fir', scene([{ kind: 'tree', count: 1, size: 'large', attributes: { shape: 'pine' } }])],
  ['three palm trees on the beach', scene([{ kind: 'tree', count: 3, attributes: { shape: 'palm' } }], { ground: 'sand' })],
  ['a bike with a basket', scene([{ kind: 'bicycle', count: 1, attributes: { basket: 'basket' } }])],
  // colours and sizes
  ['a crimson kite', scene([{ kind: 'kite', count: 1, colour: 'red' }])],
  ['a navy boat and a teal tent', scene([{ kind: 'boat', count: 1, colour: 'blue' }, { kind: 'tent', count: 1, colour: 'blue' }])],
  ['a golden balloon', scene([{ kind: 'balloon', count: 1, colour: 'yellow' }])],
  ['a violet flower', scene([{ kind: 'flower', count: 1, colour: 'purple' }])],
  ['a gray cat', scene([{ kind: 'cat', count: 1, colour: 'grey' }])],
  ['a huge house and a tiny bird', scene([{ kind: 'house', count: 1, size: 'large' }, { kind: 'bird', count: 1, size: 'small' }])],
  ['a mid-sized car', scene([{ kind: 'car', count: 1, size: 'medium' }])],
  ['a dark red car', scene([{ kind: 'car', count: 1, colour: 'red' }])],
  // positions
  ['a dog in the top left', scene([{ kind: 'dog', count: 1, position: 'top-left' }])],
  ['a tree in the upper left corner', scene([{ kind: 'tree', count: 1, position: 'top-left' }])],
  ['a cat in the top-left', scene([{ kind: 'cat', count: 1, position: 'top-left' }])],
  ['a car on the right', scene([{ kind: 'car', count: 1, position: 'right' }])],
  ['a kite at the left', scene([{ kind: 'kite', count: 1, position: 'left' }])],
  ['a tent in the middle', scene([{ kind: 'tent', count: 1, position: 'center' }])],
  ['a tent in the centre', scene([{ kind: 'tent', count: 1, position: 'center' }])],
  ['a moon at the top', scene([{ kind: 'moon', count: 1, position: 'top' }])],
  ['a boat bottom right', scene([{ kind: 'boat', count: 1, position: 'bottom-right' }])],
  ['a house on the right-hand side', scene([{ kind: 'house', count: 1, position: 'right' }])],
  ['On the left, a red car.', scene([{ kind: 'car', count: 1, colour: 'red', position: 'left' }])],
  ['in the bottom right a small tent and a kite', scene([{ kind: 'tent', count: 1, size: 'small', position: 'bottom-right' }, { kind: 'kite', count: 1 }])],
  ['a car on the left and a tree', scene([{ kind: 'car', count: 1, position: 'left' }, { kind: 'tree', count: 1 }])],
  ['two dogs, on the left', scene([{ kind: 'dog', count: 2, position: 'left' }])],
  // kind-specific attributes
  ['a house with lit windows', scene([{ kind: 'house', count: 1, attributes: { windows: 'lit' } }])],
  ['a house with a flat roof', scene([{ kind: 'house', count: 1, attributes: { roof: 'flat' } }])],
  ['a man wearing a hat', scene([{ kind: 'person', count: 1, attributes: { hat: 'hat' } }])],
  ['a spotted dog and a striped cat', scene([{ kind: 'dog', count: 1, attributes: { pattern: 'spotted' } }, { kind: 'cat', count: 1, attributes: { pattern: 'striped' } }])],
  ['a crescent moon', scene([{ kind: 'moon', count: 1, attributes: { phase: 'crescent' } }])],
  ['a sun with no rays', scene([{ kind: 'sun', count: 1, attributes: { rays: 'no rays' } }])],
  ['a dark cloud', scene([{ kind: 'cloud', count: 1, attributes: { shade: 'dark' } }])],
  ['a balloon without a string', scene([{ kind: 'balloon', count: 1, attributes: { string: 'no string' } }])],
  ['a bird with spread wings', scene([{ kind: 'bird', count: 1, attributes: { wings: 'spread' } }])],
  ['a kite with a tail', scene([{ kind: 'kite', count: 1, attributes: { tail: 'tail' } }])],
  ['an open tent', scene([{ kind: 'tent', count: 1, attributes: { door: 'open' } }])],
  ['a man waving', scene([{ kind: 'person', count: 1, attributes: { pose: 'waving' } }])],
  ['a girl in red', scene([{ kind: 'person', count: 1, colour: 'red' }])],
  ['a dog without spots', scene([{ kind: 'dog', count: 1, attributes: { pattern: 'plain' } }])],
  ['a house with dark windows and a pointed roof at the top', scene([{ kind: 'house', count: 1, position: 'top', attributes: { windows: 'dark', roof: 'pointed' } }])],
  // time, ground, weather
  ['at night', scene([], { time: 'night' })],
  ['night-time', scene([], { time: 'night' })],
  ['under a dark sky', scene([], { time: 'night' })],
  ['in the evening', scene([], { time: 'sunset' })],
  ['at dusk', scene([], { time: 'sunset' })],
  ['early morning', scene([], { time: 'dawn' })],
  ['sunrise', scene([], { time: 'dawn' })],
  ['during the day', scene([], { time: 'day' })],
  ['in the desert', scene([], { ground: 'sand' })],
  ['on the river', scene([], { ground: 'water' })],
  ['snowy ground', scene([], { ground: 'snow' })],
  ['a snowfield', scene([], { ground: 'snow' })],
  ['on the highway', scene([], { ground: 'road' })],
  ['in a meadow', scene([], { ground: 'grass' })],
  ['in the park', scene([], { ground: 'grass' })],
  ['rainy', scene([], { weather: 'rainy' })],
  ['in the mist', scene([], { weather: 'foggy' })],
  ['overcast', scene([], { weather: 'cloudy' })],
  ['snowing', scene([], { weather: 'snowy' })],
  ['snowfall on snowy ground', scene([], { weather: 'snowy', ground: 'snow' })],
  ['a clear sky', scene([], { weather: 'clear' })],
  ['sunny', scene([], { weather: 'clear' })],
  ['a sun and a moon', scene([{ kind: 'sun', count: 1 }, { kind: 'moon', count: 1 }])],
  ['grey clouds on a cloudy day', scene([{ kind: 'cloud', colour: 'grey' }], { weather: 'cloudy', time: 'day' })],
  ['no rain', scene([])],
  // negations
  ['no clouds', scene([], { absent: ['cloud'] })],
  ['without people', scene([], { absent: ['person'] })],
  ['there is no dog', scene([], { absent: ['dog'] })],
  ["there isn't a dog", scene([], { absent: ['dog'] })],
  ['a dog, not a cat', scene([{ kind: 'dog', count: 1 }], { absent: ['cat'] })],
  ['no clouds or birds', scene([], { absent: ['cloud', 'bird'] })],
  ['nobody', scene([], { absent: ['person'] })],
  ['zero cats', scene([], { absent: ['cat'] })],
  ['a dog on the left. Actually, no dogs.', scene([], { absent: ['dog'] })],
  ['no dogs. A dog after all.', scene([{ kind: 'dog', count: 1 }])],
  ['the car is not red', scene([{ kind: 'car' }])],
  ['the tent is not open', scene([{ kind: 'tent', attributes: { door: 'closed' } }])],
  // several objects in one sentence
  ['a red car under a tree at night', scene([{ kind: 'car', count: 1, colour: 'red' }, { kind: 'tree', count: 1 }], { time: 'night' })],
  ['two small white dogs on the beach, no clouds', scene([{ kind: 'dog', count: 2, size: 'small', colour: 'white' }], { ground: 'sand', absent: ['cloud'] })],
  [
    'A big red car in the top right corner and two little puppies on the left, on the street at sunset.',
    scene([{ kind: 'car', count: 1, size: 'large', colour: 'red', position: 'top-right' }, { kind: 'dog', count: 2, size: 'small', position: 'left' }], { ground: 'road', time: 'sunset' }),
  ],
  ['the car is red', scene([{ kind: 'car', colour: 'red' }])],
  ['A RED CAR!!!', scene([{ kind: 'car', count: 1, colour: 'red' }])],
  ['', scene([])],
  ['the weather is nice', scene([])],
];

const has = (values: readonly string[], value: string | undefined) => value === undefined || values.includes(value);

/** Ways a PartialScene can break the contract its consumers rely on. */
function problemsOf(p: PartialScene): string[] {
  const problems: string[] = [];
  const kinds = p.objects.map((o) => o.kind);
  if (new Set(kinds).size !== kinds.length) problems.push('a kind twice in objects');
  if (new Set(p.absent).size !== p.absent.length) problems.push('a kind twice in absent');
  if (p.absent.some((k) => kinds.includes(k))) problems.push('a kind both present and absent');
  if (!has(TIMES, p.time) || !has(GROUNDS, p.ground) || !has(WEATHERS, p.weather)) problems.push('a setting outside the vocabulary');
  for (const o of p.objects) {
    if (!has(OBJECT_KINDS, o.kind) || !has(COLOURS, o.colour) || !has(SIZES, o.size) || !has(POSITIONS, o.position)) {
      problems.push(`a ${o.kind} field outside the vocabulary`);
    }
    if (o.count !== undefined && !(Number.isInteger(o.count) && o.count >= 1 && o.count <= MAX_COUNT)) problems.push(`count ${o.count}`);
    for (const [attribute, value] of Object.entries(o.attributes)) {
      if (!KIND_ATTRIBUTES[o.kind][attribute]?.includes(value)) problems.push(`${o.kind}.${attribute}=${value}`);
    }
  }
  return problems;
}

describe('parseDescription', () => {
  it.each(CASES)('reads %j', (text, expected) => {
    expect(parseDescription(text)).toEqual(expected);
  });

  it('never throws and always returns a well-formed PartialScene on random input', () => {
    const rng = new Prng(20240611);
    const lexiconWords = [...LEXICON.keys()];
    const noise = ['.', ',', ';', '!', '?', '-', "'", '\n', ' ', '  ', '0', '42', '99999999999999999999', 'é', '🙂', '\u0000', '__proto__', 'constructor', 'toString'];
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?-\'"()\n\t\u00e9\u4e2d\ud83d';
    const problems: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const parts: string[] = [];
      const length = rng.int(0, 30);
      for (let j = 0; j < length; j++) {
        const r = rng.next();
        if (r < 0.6) parts.push(rng.pick(lexiconWords));
        else if (r < 0.8) parts.push(rng.pick(noise));
        else parts.push(Array.from({ length: rng.int(1, 8) }, () => alphabet.charAt(rng.int(0, alphabet.length - 1))).join(''));
      }
      const text = parts.join(rng.chance(0.5) ? ' ' : '');
      // Collected rather than asserted one by one: thousands of expect() calls would dominate.
      for (const problem of problemsOf(parseDescription(text))) problems.push(`${problem} in ${JSON.stringify(text)}`);
    }
    expect(problems).toEqual([]);
  });
});
