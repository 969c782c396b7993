import { describe, expect, it } from 'vitest';
import { parseHitReferences, resolveHitReference, resolveHitReferences } from '../../core/turns/hit-references.js';
import type { Hit, Round, Session } from '../../core/session/session.js';

const hits = (ids: readonly string[]): Hit[] => ids.map((id, rank) => ({ id, rank, score: 1 - rank / 10 }));

function round(index: number, ids: readonly string[]): Round {
  return {
    index,
    query: `query ${index}`,
    closerTo: [],
    notThese: [],
    hits: hits(ids),
    feedback: { kind: 'none' },
    timings: { generate: 0, embed: 0, search: 0, total: 0 },
    queryVector: '',
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

function session(rounds: Round[]): Session {
  return {
    id: 'sess-1',
    archive: 'scenes',
    strategy: 'generative',
    k: 10,
    samples: 1,
    seed: 1,
    options: {
      excludeRejected: true,
      rocchio: { alpha: 1, beta: 0.75, gamma: 0.15 },
      hybrid: { early: [0.2, 0.8], late: [0.5, 0.5] },
      verbalCandidates: 10,
    },
    status: 'active',
    rounds,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
  };
}

describe('parseHitReferences', () => {
  it('splits on commas and spaces and drops empty parts', () => {
    expect(parseHitReferences('3,5')).toEqual(['3', '5']);
    expect(parseHitReferences(' 3 , #5  img-7,')).toEqual(['3', '#5', 'img-7']);
  });

  it('rejects a list with nothing in it', () => {
    expect(() => parseHitReferences(' , ', '--not list')).toThrow(/--not list is empty/);
  });
});

describe('resolveHitReference', () => {
  const s = session([round(0, ['a', 'b', 'c']), round(1, ['d', 'e', '42'])]);

  it('maps 1-based hit numbers to the ids of the last round', () => {
    expect(resolveHitReference(s, '1')).toBe('d');
    expect(resolveHitReference(s, '#2')).toBe('e');
    expect(resolveHitReferences(s, ['3', '1', 'd'])).toEqual(['42', 'd']);
  });

  it('passes ids through, including numeric ids that were shown', () => {
    expect(resolveHitReference(s, 'img-000123')).toBe('img-000123');
    expect(resolveHitReference(s, '42')).toBe('42');
  });

  it('rejects numbers outside the last round and numbers before any round', () => {
    expect(() => resolveHitReference(s, '4')).toThrow(/no hit #4: round 2 .* showed 3 hits \(#1-#3\)/);
    expect(() => resolveHitReference(s, '0')).toThrow(/no hit #0/);
    expect(() => resolveHitReference(session([]), '1')).toThrow(/has no rounds yet/);
  });
});
