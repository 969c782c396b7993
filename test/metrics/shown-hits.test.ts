import { describe, expect, it } from 'vitest';
import { cumulativeShownHitsAtK } from '../../core/metrics/shown-hits.js';

describe('cumulative shown Hits@K', () => {
  // A: shown at position 3 from round 1; B: never shown; C: shown at 0 in round 0 only.
  const shown = [
    [null, 3, 3],
    [null, null, null],
    [0, null, null],
  ];

  it('counts a target once it was among the first K shown hits, and keeps it', () => {
    expect(cumulativeShownHitsAtK(shown, 10)).toEqual([1 / 3, 2 / 3, 2 / 3]);
    expect(cumulativeShownHitsAtK(shown, 3)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('rejects positions that are not 0-based integers', () => {
    expect(() => cumulativeShownHitsAtK([[1.5]], 10)).toThrow(/shown\[0\]\[0\]/);
  });
});
