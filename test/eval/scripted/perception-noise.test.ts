import { describe, expect, it } from 'vitest';
import { misperceive } from '../../../core/eval/scripted/perception-noise.js';
import { perceptionFromTruth } from '../../../core/eval/scripted/scene-perception.js';
import { ScriptedScenesSearcher } from '../../../core/eval/scripted/scripted-searcher.js';
import { imageOf, NO_NOISE, TARGET, top1Feedback } from './searcher-fixtures.js';

describe('perception noise of the scripted searcher', () => {
  it('p = 0 is perfect perception: the scene as it is', () => {
    expect(misperceive(TARGET, 0, 1, 2, 0)).toBe(TARGET);
  });

  it('p = 1 misreads every fact: time, ground, weather and every object kind', () => {
    const seen = misperceive(TARGET, 1, 1, 2, 0);
    expect(seen.time).not.toBe(TARGET.time);
    expect(seen.ground).not.toBe(TARGET.ground);
    expect(seen.weather).not.toBe(TARGET.weather);
    const kinds = seen.objects.map((o) => o.kind);
    for (const o of TARGET.objects) expect(kinds).not.toContain(o.kind);
  });

  it('is deterministic in (seed, round, picture) and differs between pictures', () => {
    expect(misperceive(TARGET, 0.3, 5, 1, 0)).toEqual(misperceive(TARGET, 0.3, 5, 1, 0));
    const variants = new Set(Array.from({ length: 20 }, (_, picture) => JSON.stringify(misperceive(TARGET, 0.3, 5, 1, picture))));
    expect(variants.size).toBeGreaterThan(1);
  });

  it('misreads each fact with about the asked probability', () => {
    const trials = 2000;
    let wrongTime = 0;
    for (let i = 0; i < trials; i++) if (misperceive(TARGET, 0.2, i, 0, 0).time !== TARGET.time) wrongTime++;
    // Binomial(2000, 0.2): mean 400, sd about 18.
    expect(wrongTime).toBeGreaterThan(340);
    expect(wrongTime).toBeLessThan(460);
  });

  it('a misperceiving searcher corrects a picture that matches its memory; a perfect one does not', async () => {
    const truth = new Map([['same', TARGET]]);
    const start = (pMisperceive: number) =>
      new ScriptedScenesSearcher(perceptionFromTruth(new Map([...truth, ['target', TARGET]])), { ...NO_NOISE, pMisperceive }).startEpisode(
        { id: 'target', image: TARGET_IMAGE },
        3,
      );
    const TARGET_IMAGE = await imageOf(TARGET);
    const perfect = await start(0);
    const noisy = await start(1);
    expect(await perfect.describe()).toBe(await noisy.describe());
    const shown = await top1Feedback('same', TARGET);
    // The perfect user sees its own picture, finds nothing to correct and adds the next detail
    // in salience order (the car's colour); the noisy one sees a wrong picture and corrects it.
    const before = await perfect.describe();
    const perfectText = await perfect.refine(shown);
    const noisyText = await noisy.refine(shown);
    expect(before).not.toContain('red');
    expect(perfectText).toContain('red');
    expect(noisyText).not.toBe(perfectText);
    expect(new ScriptedScenesSearcher(perceptionFromTruth(truth), { pMisperceive: 0.1 }).id).toBe('scripted:sparse:f0.1:m0.05:p0.1');
    expect(new ScriptedScenesSearcher(perceptionFromTruth(truth)).id).toBe('scripted:sparse:f0.1:m0.05');
  });
});
