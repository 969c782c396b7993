import { describe, expect, it } from 'vitest';
import { assertNotTextTowerWorld, isTextTowerSeed, TEXT_TOWER_SEEDS } from '../../../core/scenes/text-tower/training-seeds.js';

describe('text tower seeds', () => {
  it('reserves the training and held-out world seeds and nothing else', () => {
    expect(isTextTowerSeed(TEXT_TOWER_SEEDS.train)).toBe(true);
    expect(isTextTowerSeed(TEXT_TOWER_SEEDS.heldOut)).toBe(true);
    expect(isTextTowerSeed(1)).toBe(false);
  });

  it('refuses Scenes worlds built from them, with the reason', () => {
    const world = (seed: number) => ({ name: 'w', origin: { kind: 'scenes' as const, seed, size: 100 } });
    expect(() => assertNotTextTowerWorld(world(TEXT_TOWER_SEEDS.train))).toThrow(/reserved for training the text tower/);
    expect(() => assertNotTextTowerWorld(world(TEXT_TOWER_SEEDS.heldOut))).toThrow(/seed 2718281828/);
    expect(() => assertNotTextTowerWorld(world(1))).not.toThrow();
    expect(() => assertNotTextTowerWorld({ name: 'photos', origin: { kind: 'ingest' } })).not.toThrow();
  });
});
