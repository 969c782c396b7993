import { describe, expect, it } from 'vitest';
import { armsOf, evalConfigSchema, parseArm } from '../../core/eval/eval-config.js';
import { STRATEGY_NAMES } from '../../core/session/session.js';

describe('evaluation arms', () => {
  it('reads strategies, the oracle text tower and matched-sample generative arms', () => {
    expect(parseArm('hybrid')).toEqual({ label: 'hybrid', strategy: 'hybrid', textTower: 'default' });
    expect(parseArm('text-oracle')).toEqual({ label: 'text-oracle', strategy: 'text', textTower: 'oracle' });
    expect(parseArm('generative-n4')).toEqual({ label: 'generative-n4', strategy: 'generative', samples: 4, textTower: 'default' });
    expect(parseArm('generative-n8')?.samples).toBe(8);
    for (const bad of ['generative-n0', 'generative-n9', 'generative-n04', 'text-n4', 'oracle', '']) expect(parseArm(bad)).toBeUndefined();
  });

  it('defaults to the five strategies and refuses unknown or repeated arms', () => {
    expect(evalConfigSchema.parse({ archive: 'w' }).strategies).toEqual([...STRATEGY_NAMES]);
    const config = evalConfigSchema.parse({ archive: 'w', strategies: ['generative', 'generative-n4', 'text-oracle'] });
    expect(armsOf(config).map((a) => [a.label, a.strategy, a.samples])).toEqual([
      ['generative', 'generative', undefined],
      ['generative-n4', 'generative', 4],
      ['text-oracle', 'text', undefined],
    ]);
    expect(evalConfigSchema.safeParse({ archive: 'w', strategies: ['generative-n12'] }).success).toBe(false);
    expect(evalConfigSchema.safeParse({ archive: 'w', strategies: ['text', 'text'] }).success).toBe(false);
  });
});
