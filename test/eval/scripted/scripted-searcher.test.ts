import { describe, expect, it } from 'vitest';
import { flattenAttributes } from '../../../core/scenes/scenes-attribute-reader.js';
import { toPartialScene } from '../../../core/scenes/describe.js';
import type { Scene } from '../../../core/scenes/scene.js';
import { formMemory } from '../../../core/eval/scripted/memory-noise.js';
import { perceptionFromTruth } from '../../../core/eval/scripted/scene-perception.js';
import { ScriptedScenesSearcher } from '../../../core/eval/scripted/scripted-searcher.js';
import type { ScriptedSearcherConfigInput } from '../../../core/eval/scripted/searcher-config.js';
import { KIND_ATTRIBUTES, OBJECT_KINDS, type ObjectKind } from '../../../core/scenes/vocabulary.js';
import type { EpisodeSearcher, ShownFeedback } from '../../../core/eval/searcher.js';
import { MirageError } from '../../../core/errors.js';
import { Prng } from '../../../core/random/prng.js';
import { randomScene } from '../../scenes/scene-fixtures.js';
import {
  changed,
  imageOf,
  NO_NOISE,
  questionFeedback,
  saidFacts,
  syntheticFeedback,
  TARGET,
  TARGET_FACTS_BY_SALIENCE,
  TEXT_FEEDBACK,
  top1Feedback,
} from './searcher-fixtures.js';

const ENGINE_QUERY_LIMIT = 1000;

async function episode(
  config: ScriptedSearcherConfigInput,
  seed = 1,
  truth: ReadonlyMap<string, Scene> = new Map([['target', TARGET]]),
  targetId = 'target',
): Promise<EpisodeSearcher> {
  const searcher = new ScriptedScenesSearcher(perceptionFromTruth(truth), config);
  return searcher.startEpisode({ id: targetId, image: await imageOf(truth.get(targetId) ?? TARGET) }, seed);
}

/** The facts a refinement adds to (or changes from) the previous description. */
function added(before: string, after: string): Record<string, string> {
  const old = saidFacts(before);
  return Object.fromEntries(Object.entries(saidFacts(after)).filter(([key, value]) => old[key] !== value));
}

async function errorOf(promise: Promise<unknown>): Promise<MirageError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof MirageError) return e;
    throw e;
  }
  throw new Error('expected a MirageError');
}

/** A seed whose memory of TARGET satisfies `wanted` (noise settings as given). */
function seedWhere(config: { pForget: number; pMisremember: number }, wanted: (recall: (key: string) => string | undefined) => boolean): number {
  for (let seed = 0; seed < 10_000; seed++) {
    const memory = formMemory(TARGET, config, seed);
    if (wanted((key) => memory.recall(key))) return seed;
  }
  throw new Error('no such seed');
}

describe('ScriptedScenesSearcher', () => {
  it('is named by its settings and reports no token usage', async () => {
    const searcher = new ScriptedScenesSearcher(perceptionFromTruth(new Map([['target', TARGET]])), { detail: 'moderate', pForget: 0.2 });
    expect(searcher.id).toBe('scripted:moderate:f0.2:m0.05');
    expect((await episode({})).usage()).toBeUndefined();
  });

  it('refuses a target it has no scene for, and a bad seed', async () => {
    const searcher = new ScriptedScenesSearcher(perceptionFromTruth(new Map([['target', TARGET]])));
    const image = await imageOf(TARGET);
    const unknown = await errorOf(searcher.startEpisode({ id: 'elsewhere', image }, 1));
    expect(unknown.code).toBe('UNKNOWN_IMAGE');
    expect(unknown.message).toContain('"elsewhere"');
    expect((await errorOf(searcher.startEpisode({ id: 'target', image }, 0.5))).code).toBe('INVALID_INPUT');
  });

  it('rejects a bad configuration at construction', () => {
    expect(() => new ScriptedScenesSearcher(perceptionFromTruth(new Map()), { pForget: 2 })).toThrow(/pForget/);
  });

  describe('round 0', () => {
    it('sparse: names every object, then the time and ground', async () => {
      const text = await (await episode(NO_NOISE)).describe();
      expect(saidFacts(text)).toEqual({ 'has.car': 'yes', 'has.house': 'yes', 'has.dog': 'yes', time: 'night', ground: 'road' });
    });

    it('full: says everything it remembers', async () => {
      const text = await (await episode({ ...NO_NOISE, detail: 'full' })).describe();
      expect(saidFacts(text)).toEqual(
        Object.fromEntries(TARGET_FACTS_BY_SALIENCE.map((key) => [key, key.startsWith('has.') ? 'yes' : flattenAttributes(toPartialScene(TARGET))[key]])),
      );
    });

    it('parses back to what the noisy memory holds, and nothing it does not', async () => {
      const rng = new Prng(5);
      const config = { pForget: 0.15, pMisremember: 0.1 };
      for (let i = 0; i < 60; i++) {
        const target = randomScene(rng);
        for (const detail of ['sparse', 'moderate', 'full'] as const) {
          const text = await (await episode({ ...config, detail }, i, new Map([['t', target]]), 't')).describe();
          const memory = formMemory(target, config, i);
          const said = saidFacts(text);
          for (const [key, value] of Object.entries(said)) expect(memory.recall(key), `${text} / ${key}`).toBe(value);
          // Every remembered object is named from the start.
          for (const kind of memory.kinds) expect(said[`has.${kind}`], text).toBe('yes');
          if (detail === 'full') expect(Object.keys(said).sort()).toEqual([...memory.facts].sort());
        }
      }
    });
  });

  describe('generative feedback', () => {
    it('corrects the colour the rendering got wrong', async () => {
      const searcher = await episode(NO_NOISE);
      const before = await searcher.describe();
      const after = await searcher.refine(await syntheticFeedback([changed(TARGET, 'car', { colour: 'blue' })]));
      expect(added(before, after)).toEqual({ 'car.colour': 'red' });
    });

    it('corrects a wrong detail rather than adding the next one in salience order', async () => {
      const searcher = await episode(NO_NOISE);
      const before = await searcher.describe();
      const after = await searcher.refine(await syntheticFeedback([changed(TARGET, 'house', { attributes: { roof: 'pointed', windows: 'lit' } })]));
      expect(added(before, after)).toEqual({ 'house.roof': 'flat' });
    });

    it('with several samples corrects what most of them get wrong, ties going to the more salient', async () => {
      const plainDog = changed(TARGET, 'dog', { attributes: { pattern: 'plain' } });
      const pointedRoof = changed(TARGET, 'house', { attributes: { roof: 'pointed', windows: 'lit' } });
      const majority = await episode(NO_NOISE);
      const before = await majority.describe();
      expect(added(before, await majority.refine(await syntheticFeedback([plainDog, pointedRoof, plainDog])))).toEqual({ 'dog.pattern': 'spotted' });
      const tie = await episode(NO_NOISE);
      expect(added(before, await tie.refine(await syntheticFeedback([plainDog, pointedRoof])))).toEqual({ 'house.roof': 'flat' });
    });

    it('adds a missing object with everything it remembers about it', async () => {
      const searcher = await episode(NO_NOISE);
      const before = await searcher.describe();
      const after = await searcher.refine(await syntheticFeedback([changed(TARGET, 'dog', null)]));
      // The dog was named at round 0, so what is new is everything else about it.
      expect(added(before, after)).toEqual({
        'dog.colour': 'brown',
        'dog.size': 'small',
        'dog.position': 'bottom-right',
        'dog.count': '2',
        'dog.pattern': 'spotted',
      });
    });

    it('says an unexpected object is absent', async () => {
      const searcher = await episode(NO_NOISE);
      await searcher.describe();
      const cloud = { kind: 'cloud' as const, colour: 'grey' as const, size: 'large' as const, position: 'top' as const, count: 1, attributes: { shade: 'dark' } };
      const after = await searcher.refine(await syntheticFeedback([{ ...TARGET, objects: [...TARGET.objects, cloud] }]));
      expect(after).toMatch(/no clouds/);
      expect(saidFacts(after)['has.cloud']).toBe('no');
    });

    it('adds the next detail when the rendering is wrong only in what it already said', async () => {
      const searcher = await episode(NO_NOISE);
      const before = await searcher.describe();
      const after = await searcher.refine(await syntheticFeedback([{ ...TARGET, time: 'day' }]));
      expect(added(before, after)).toEqual({ 'car.colour': 'red' });
    });

    it('adds the next detail when the generator does not say what it drew', async () => {
      const searcher = await episode(NO_NOISE);
      const before = await searcher.describe();
      expect(added(before, await searcher.refine(await syntheticFeedback([undefined])))).toEqual({ 'car.colour': 'red' });
    });

    it('rejects an interpretation that is not a scene', async () => {
      const searcher = await episode(NO_NOISE);
      await searcher.describe();
      const error = await errorOf(searcher.refine(await syntheticFeedback([{ ...TARGET, time: 'noon' }])));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/interpretation.*time/);
    });
  });

  describe('prediction feedback', () => {
    const truth = new Map<string, Scene>([
      ['target', TARGET],
      ['dark-windows', changed(TARGET, 'house', { attributes: { roof: 'flat', windows: 'dark' } })],
      ['plain-dog', changed(TARGET, 'dog', { attributes: { pattern: 'plain' } })],
    ]);

    it('compares its memory with the true scene of the top-1 image', async () => {
      for (const [id, fix] of [
        ['dark-windows', { 'house.windows': 'lit' }],
        ['plain-dog', { 'dog.pattern': 'spotted' }],
      ] as const) {
        const searcher = await episode(NO_NOISE, 1, truth);
        const before = await searcher.describe();
        // The shown image is the target's: only the id says what was retrieved, as with a real perception stand-in.
        const shown = await top1Feedback(id, TARGET);
        expect(added(before, await searcher.refine(shown))).toEqual(fix);
      }
    });

    it('rejects a retrieved image it has no scene for', async () => {
      const searcher = await episode(NO_NOISE, 1, truth);
      await searcher.describe();
      const error = await errorOf(searcher.refine(await top1Feedback('stranger', TARGET)));
      expect(error.code).toBe('UNKNOWN_IMAGE');
      expect(error.message).toContain('"stranger"');
    });

    it('perceives only the images it is shown: the target, then the top-1 image of each round', async () => {
      const looked: string[] = [];
      const perceive = perceptionFromTruth(truth);
      const searcher = await new ScriptedScenesSearcher((shown) => {
        looked.push(shown.id);
        return perceive(shown);
      }, NO_NOISE).startEpisode({ id: 'target', image: await imageOf(TARGET) }, 1);
      await searcher.describe();
      await searcher.refine(TEXT_FEEDBACK);
      await searcher.refine(await syntheticFeedback([TARGET as unknown as Record<string, unknown>]));
      await searcher.refine(await top1Feedback('plain-dog', TARGET));
      expect(looked).toEqual(['target', 'plain-dog']);
    });
  });

  describe('verbal feedback', () => {
    it('answers about an object attribute, a missing kind, and an attribute of a missing kind', async () => {
      const searcher = await episode(NO_NOISE);
      const before = await searcher.describe();
      const pattern = await searcher.refine(questionFeedback('dog.pattern'));
      expect(added(before, pattern)).toEqual({ 'dog.pattern': 'spotted' });
      const cat = await searcher.refine(questionFeedback('has.cat'));
      expect(added(pattern, cat)).toEqual({ 'has.cat': 'no' });
      const tent = await searcher.refine(questionFeedback('tent.colour'));
      expect(added(cat, tent)).toEqual({ 'has.tent': 'no' });
    });

    it('answers from memory, not from the truth', async () => {
      const noise = { pForget: 0, pMisremember: 0.3 };
      const seed = seedWhere(noise, (recall) => recall('car.colour') !== 'red' && recall('has.car') === 'yes');
      const remembered = formMemory(TARGET, noise, seed).recall('car.colour');
      const searcher = await episode(noise, seed);
      const before = await searcher.describe();
      expect(added(before, await searcher.refine(questionFeedback('car.colour')))).toEqual({ 'car.colour': remembered });
    });

    it('says time and presence as remembered', async () => {
      const noise = { pForget: 0, pMisremember: 0.3 };
      const seed = seedWhere(noise, (recall) => recall('time') !== 'night' && recall('has.dog') === 'no');
      const memory = formMemory(TARGET, noise, seed);
      const searcher = await episode(noise, seed);
      const before = await searcher.describe();
      expect(saidFacts(before).time).toBe(memory.recall('time'));
      // It remembers some other animal where the dog was, so it is sure there is no dog.
      expect(added(before, await searcher.refine(questionFeedback('has.dog')))).toEqual({ 'has.dog': 'no' });
    });

    it('adds the next remembered detail when it does not know the answer', async () => {
      const noise = { pForget: 0.3, pMisremember: 0 };
      const seed = seedWhere(noise, (recall) => recall('car.colour') === undefined && recall('has.car') === 'yes' && recall('house.colour') !== undefined && recall('has.house') === 'yes');
      const searcher = await episode(noise, seed);
      const before = await searcher.describe();
      const after = await searcher.refine(questionFeedback('car.colour'));
      expect(saidFacts(after)['car.colour']).toBeUndefined();
      expect(added(before, after)).toEqual({ 'house.colour': 'white' });
    });

    it('does not claim an absence when it has forgotten some object', async () => {
      const noise = { pForget: 0.3, pMisremember: 0 };
      const seed = seedWhere(noise, (recall) => recall('has.house') === undefined && recall('has.car') === 'yes' && recall('car.colour') !== undefined);
      const searcher = await episode(noise, seed);
      await searcher.describe();
      const after = await searcher.refine(questionFeedback('has.cat'));
      expect(saidFacts(after)['has.cat']).toBeUndefined();
    });

    it('rejects an attribute key outside the Scenes vocabulary', async () => {
      const searcher = await episode(NO_NOISE);
      await searcher.describe();
      expect((await errorOf(searcher.refine(questionFeedback('car.wheels')))).code).toBe('INVALID_INPUT');
    });
  });

  describe('text feedback', () => {
    it('adds one remembered detail per round in salience order, then repeats itself', async () => {
      const searcher = await episode(NO_NOISE);
      let text = await searcher.describe();
      const order: string[] = [];
      for (let round = 1; round <= TARGET_FACTS_BY_SALIENCE.length; round++) {
        const next = await searcher.refine(TEXT_FEEDBACK);
        order.push(...Object.keys(added(text, next)));
        text = next;
      }
      expect(order).toEqual(TARGET_FACTS_BY_SALIENCE.slice(5));
      expect(await searcher.refine(TEXT_FEEDBACK)).toBe(text);
    });
  });

  it('without noise converges to the full target under every kind of feedback', async () => {
    const rng = new Prng(21);
    const attributes = ['time', 'ground', 'weather', ...OBJECT_KINDS.flatMap((k) => [`has.${k}`, `${k}.colour`, `${k}.count`, ...Object.keys(KIND_ATTRIBUTES[k]).map((a) => `${k}.${a}`)])];
    for (let i = 0; i < 12; i++) {
      const target = randomScene(rng);
      const wrong = randomScene(rng);
      const truth = new Map([['t', target], ['wrong', wrong]]);
      const feedbacks: ((round: number) => Promise<ShownFeedback>)[] = [
        async () => TEXT_FEEDBACK,
        async (round) => questionFeedback(attributes[(round * 7 + i) % attributes.length] ?? 'time'),
        async () => syntheticFeedback([wrong, target]),
        async () => top1Feedback('wrong', wrong),
      ];
      for (const feedback of feedbacks) {
        const searcher = await episode(NO_NOISE, i, truth, 't');
        let text = await searcher.describe();
        for (let round = 1; round <= 40; round++) text = await searcher.refine(await feedback(round));
        const said = saidFacts(text);
        const positive = Object.fromEntries(Object.entries(said).filter(([key, value]) => !(key.startsWith('has.') && value === 'no')));
        const full = Object.fromEntries(Object.entries(flattenAttributes(toPartialScene(target))).filter(([, value]) => value !== 'no'));
        expect(positive, text).toEqual(full);
      }
    }
  });

  it('stays under the engine query limit even when saying everything and ruling out every other kind', async () => {
    const verbose: Scene = {
      time: 'sunset',
      ground: 'grass',
      weather: 'snowy',
      objects: [
        { kind: 'house', colour: 'purple', size: 'medium', position: 'bottom-right', count: 3, attributes: { roof: 'pointed', windows: 'dark' } },
        { kind: 'person', colour: 'orange', size: 'medium', position: 'bottom-left', count: 3, attributes: { hat: 'no hat', pose: 'standing' } },
        { kind: 'bicycle', colour: 'yellow', size: 'medium', position: 'right', count: 3, attributes: { basket: 'no basket' } },
        { kind: 'balloon', colour: 'purple', size: 'medium', position: 'top-right', count: 3, attributes: { string: 'no string' } },
      ],
    };
    const others = OBJECT_KINDS.filter((k) => !verbose.objects.some((o) => o.kind === k));
    const truth = new Map<string, Scene>([['target', verbose]]);
    // Retrieved images that show every other kind, four at a time.
    for (let i = 0; i < others.length; i += 4) {
      const kinds: ObjectKind[] = others.slice(i, i + 4);
      truth.set(`others-${i}`, { ...verbose, objects: kinds.map((kind, j) => ({ kind, colour: 'red', size: 'small', position: j === 0 ? 'top' : 'left', count: 1, attributes: {} })) });
    }
    const searcher = await episode({ ...NO_NOISE, detail: 'full' }, 1, truth);
    let text = await searcher.describe();
    for (let round = 0; round < others.length; round++) {
      text = await searcher.refine(await top1Feedback(`others-${4 * (round % 3)}`, verbose));
      expect(text.length).toBeLessThan(ENGINE_QUERY_LIMIT);
    }
    expect(Object.entries(saidFacts(text)).filter(([, value]) => value === 'no')).toHaveLength(others.length);
  });

  it('is deterministic given truth, config, target and seed', async () => {
    const run = async () => {
      const searcher = await episode({ pForget: 0.2, pMisremember: 0.2 }, 99);
      const texts = [await searcher.describe()];
      texts.push(await searcher.refine(await syntheticFeedback([changed(TARGET, 'car', { colour: 'blue' })])));
      texts.push(await searcher.refine(questionFeedback('weather')));
      texts.push(await searcher.refine(TEXT_FEEDBACK));
      return texts;
    };
    expect(await run()).toEqual(await run());
  });
});
