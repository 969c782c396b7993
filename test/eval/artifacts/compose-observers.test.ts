import { describe, expect, it } from 'vitest';
import { composeObservers } from '../../../core/eval/artifacts/compose-observers.js';
import type { EpisodeObservation } from '../../../core/eval/episode-options.js';

const observation = { strategy: 'text', rank: 3 } as unknown as EpisodeObservation;

describe('composeObservers', () => {
  it('runs the hooks in order, each after the previous one finished', async () => {
    const log: string[] = [];
    const slow = async () => {
      await new Promise((r) => setTimeout(r, 20));
      log.push('slow');
    };
    await composeObservers(slow, async (o) => void log.push(`fast ${o.rank}`))(observation);
    expect(log).toEqual(['slow', 'fast 3']);
  });

  it('stops at a failing hook and passes its error on', async () => {
    const log: string[] = [];
    const failing = composeObservers(
      async () => {
        throw new Error('disk full');
      },
      async () => void log.push('after'),
    );
    await expect(failing(observation)).rejects.toThrow('disk full');
    expect(log).toEqual([]);
  });
});
