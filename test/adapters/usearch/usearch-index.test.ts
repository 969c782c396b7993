import { describe, expect, it } from 'vitest';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { MirageError } from '../../../core/errors.js';
import { bruteForce, cosine, filled, recall, sample } from './fixtures.js';

const dim = 32;
const s = sample(1500, dim, 7);
// exactBelow 0 forces every search through the HNSW graph.
const graphOnly = new UsearchIndexFactory({ exactBelow: 0 });
const graphIndex = filled(graphOnly.create(dim, 'f32'), s);

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof MirageError ? e.code : `not a MirageError: ${String(e)}`;
  }
  return undefined;
};

const meanRecall = (search: (q: Float32Array) => string[], exclude?: ReadonlySet<string>): number =>
  s.queries.reduce((sum, q) => sum + recall(search(q), bruteForce(s, q, 10, exclude)), 0) / s.queries.length;

describe('UsearchVectorIndex search', () => {
  it('finds each stored vector as its own nearest neighbour, scored by cosine similarity', () => {
    for (const i of [0, 321, 777, 1499]) {
      const hits = graphIndex.search(s.vectors[i]!, 5);
      expect(hits).toHaveLength(5);
      expect(hits[0]!.id).toBe(s.ids[i]);
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      for (const hit of hits) expect(hit.score).toBeCloseTo(cosine(s.vectors[i]!, graphIndex.vectorOf(hit.id)!), 5);
      const scores = hits.map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('exact search returns the brute-force top k', () => {
    for (const q of s.queries) expect(graphIndex.search(q, 10, { exact: true }).map((h) => h.id)).toEqual(bruteForce(s, q, 10));
  });

  it('graph search agrees with exact search on small data', () => {
    expect(meanRecall((q) => graphIndex.search(q, 10).map((h) => h.id))).toBeGreaterThanOrEqual(0.95);
  });

  it('searches small indexes exactly, even with a graph too weak to find the true neighbours', () => {
    const weak = { connectivity: 2, expansionAdd: 2, expansionSearch: 1 };
    const weakGraph = filled(new UsearchIndexFactory({ ...weak, exactBelow: 0 }).create(dim, 'f32'), s);
    const small = filled(new UsearchIndexFactory({ ...weak, exactBelow: 2000 }).create(dim, 'f32'), s);
    expect(meanRecall((q) => weakGraph.search(q, 10).map((h) => h.id))).toBeLessThan(1);
    expect(meanRecall((q) => small.search(q, 10).map((h) => h.id))).toBe(1);
  });

  it('returns every vector when k exceeds the size, and nothing from an empty index', () => {
    const index = graphOnly.create(dim, 'f32');
    expect(index.search(s.queries[0]!, 3)).toEqual([]);
    index.add(s.ids.slice(0, 4), s.vectors.slice(0, 4));
    expect(index.search(s.queries[0]!, 10).map((h) => h.id).sort()).toEqual(s.ids.slice(0, 4).sort());
  });
});

describe('UsearchVectorIndex exclude', () => {
  it('never returns excluded ids and fills k from the rest (graph and exact)', () => {
    for (const q of s.queries.slice(0, 5)) {
      const exclude = new Set(bruteForce(s, q, 7));
      const graphHits = graphIndex.search(q, 10, { exclude }).map((h) => h.id);
      expect(graphHits).toHaveLength(10);
      expect(graphHits.filter((id) => exclude.has(id))).toEqual([]);
      expect(recall(graphHits, bruteForce(s, q, 10, exclude))).toBeGreaterThanOrEqual(0.8);
      expect(graphIndex.search(q, 10, { exclude, exact: true }).map((h) => h.id)).toEqual(bruteForce(s, q, 10, exclude));
    }
  });

  it('still finds the best of the rest when almost everything is excluded', () => {
    const q = s.queries[1]!;
    const exclude = new Set(s.ids.slice(0, 1450));
    expect(graphIndex.search(q, 10, { exclude }).map((h) => h.id)).toEqual(bruteForce(s, q, 10, exclude));
    expect(graphIndex.search(q, 100, { exclude })).toHaveLength(50);
    expect(graphIndex.search(q, 10, { exclude: new Set(s.ids) })).toEqual([]);
  });

  it('ignores excluded ids that are not in the index', () => {
    const q = s.queries[2]!;
    expect(graphIndex.search(q, 10, { exclude: new Set(['nope', 'img-x']) })).toEqual(graphIndex.search(q, 10));
  });
});

describe('UsearchVectorIndex accept (allow-filters)', () => {
  const even = (id: string) => Number(id.slice('img-'.length)) % 2 === 0;
  const evenIds = () => new Set(s.ids.filter((id) => !even(id)));

  it('returns only accepted ids, k of them, as the best of the accepted (graph and exact)', () => {
    for (const q of s.queries.slice(0, 5)) {
      const graphHits = graphIndex.search(q, 10, { accept: even }).map((h) => h.id);
      expect(graphHits).toHaveLength(10);
      expect(graphHits.every(even)).toBe(true);
      expect(recall(graphHits, bruteForce(s, q, 10, evenIds()))).toBeGreaterThanOrEqual(0.8);
      expect(graphIndex.search(q, 10, { accept: even, exact: true }).map((h) => h.id)).toEqual(bruteForce(s, q, 10, evenIds()));
    }
  });

  it('stays exact for k when the filter accepts almost nothing: the graph falls back to a scan', () => {
    const q = s.queries[3]!;
    const few = new Set(['img-3', 'img-500', 'img-777', 'img-1001', 'img-1499']);
    const hits = graphIndex.search(q, 10, { accept: (id) => few.has(id) }).map((h) => h.id);
    expect(hits.sort()).toEqual([...few].sort());
    expect(graphIndex.search(q, 10, { accept: () => false })).toEqual([]);
  });

  it('combines with exclusions', () => {
    const q = s.queries[4]!;
    const exclude = new Set(bruteForce(s, q, 6, evenIds()));
    const hits = graphIndex.search(q, 10, { accept: even, exclude, exact: true }).map((h) => h.id);
    expect(hits).toEqual(bruteForce(s, q, 10, new Set([...evenIds(), ...exclude])));
  });
});

describe('UsearchVectorIndex add and remove', () => {
  it('forgets removed ids and keeps every other id with its own vector', () => {
    const index = filled(graphOnly.create(dim, 'f32'), s);
    const removed = ['img-0', 'img-5', 'img-1499', 'img-700', 'img-701'];
    index.remove(removed);
    expect(index.size).toBe(s.ids.length - removed.length);
    for (const id of removed) {
      expect(index.has(id)).toBe(false);
      expect(index.vectorOf(id)).toBeUndefined();
      const own = s.vectors[s.ids.indexOf(id)]!;
      expect(index.search(own, 20).map((h) => h.id)).not.toContain(id);
      expect(index.search(own, 20, { exact: true }).map((h) => h.id)).not.toContain(id);
    }
    s.ids.forEach((id, i) => {
      if (!removed.includes(id)) expect(index.vectorOf(id)).toEqual(s.vectors[i]);
    });
    index.remove(['img-0', 'never-added']);
    expect(index.size).toBe(s.ids.length - removed.length);
  });

  it('replaces the vector of an id that is added again, and re-adds removed ids', () => {
    const index = filled(graphOnly.create(dim, 'f32'), s);
    index.add(['img-3'], [s.vectors[900]!]);
    expect(index.size).toBe(s.ids.length);
    expect(index.vectorOf('img-3')).toEqual(s.vectors[900]);
    const twins = index.search(s.vectors[900]!, 2).map((h) => h.id).sort();
    expect(twins).toEqual(['img-3', 'img-900']);
    expect(index.search(s.vectors[3]!, 5).map((h) => h.id)).not.toContain('img-3');
    index.remove(['img-4']);
    index.add(['img-4'], [s.vectors[4]!]);
    expect(index.search(s.vectors[4]!, 1)[0]!.id).toBe('img-4');
  });

  it('hands out copies of stored vectors', () => {
    const v = graphIndex.vectorOf('img-10')!;
    v.fill(0);
    expect(graphIndex.vectorOf('img-10')).toEqual(s.vectors[10]);
  });

  it('rebuilds the graph from the stored vectors after removals', () => {
    const index = filled(graphOnly.create(dim, 'f32'), s);
    const removed = s.ids.filter((_, i) => i % 2 === 0);
    index.remove(removed);
    index.rebuild();
    expect(index.size).toBe(s.ids.length - removed.length);
    for (const q of s.queries) {
      const exact = index.search(q, 10, { exact: true }).map((h) => h.id);
      expect(exact.filter((id) => removed.includes(id))).toEqual([]);
      expect(recall(index.search(q, 10).map((h) => h.id), exact)).toBeGreaterThanOrEqual(0.8);
    }
    expect(index.search(s.vectors[1]!, 1)[0]!.id).toBe('img-1');
  });
});

describe('UsearchVectorIndex quantization', () => {
  for (const quantization of ['f16', 'i8'] as const) {
    it(`${quantization} finds the same neighbours as exact f32 search, scored in f32`, () => {
      const index = filled(graphOnly.create(dim, quantization), s);
      expect(index.quantization).toBe(quantization);
      expect(index.search(s.vectors[42]!, 1)[0]!.id).toBe('img-42');
      expect(meanRecall((q) => index.search(q, 10).map((h) => h.id))).toBeGreaterThanOrEqual(0.95);
      for (const q of s.queries) {
        const hits = index.search(q, 10);
        for (const hit of hits) expect(hit.score).toBeCloseTo(cosine(q, index.vectorOf(hit.id)!), 5);
        const scores = hits.map((h) => h.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
      // vectorOf keeps the unquantised vector for relevance feedback.
      expect(index.vectorOf('img-42')).toEqual(s.vectors[42]);
    });
  }
});

describe('UsearchVectorIndex rankOf', () => {
  // Hand-worked, in 2-d: the query points along x; cosine similarities are 1 (a), 0.707 (b and
  // its duplicate b2), 0 (c), -0.707 (d) and -1 (e).
  const plane = new UsearchIndexFactory().create(2, 'f32');
  const points: Record<string, [number, number]> = { a: [1, 0], b: [1, 1], b2: [1, 1], c: [0, 1], d: [-1, 1], e: [-1, 0] };
  plane.add(Object.keys(points), Object.values(points).map((p) => Float32Array.from(p)));
  const alongX = Float32Array.of(1, 0);
  const ranks = (exclude?: ReadonlySet<string>) => Object.keys(points).map((id) => plane.rankOf(alongX, id, exclude ? { exclude } : {}));

  it('counts the images scoring strictly higher; a duplicate does not push its twin down', () => {
    // a b b2 c d e
    expect(ranks()).toEqual([0, 1, 1, 3, 4, 5]);
  });

  it('leaves excluded images out of the count, and ranks an excluded target as a miss (the index size)', () => {
    // a and b were shown and rejected: b2 now leads; a and b themselves rank 6, past everything.
    expect(ranks(new Set(['a', 'b']))).toEqual([6, 6, 0, 1, 2, 3]);
    // Only c rejected: nothing above c moves, everything below it moves up by one.
    expect(ranks(new Set(['c']))).toEqual([0, 1, 1, 6, 3, 4]);
    // Excluded ids that are not in the index change nothing.
    expect(ranks(new Set(['zzz']))).toEqual([0, 1, 1, 3, 4, 5]);
  });

  it('agrees with a plain-JS brute force on clustered data', () => {
    for (const q of s.queries.slice(0, 5)) {
      const order = bruteForce(s, q, 20);
      order.forEach((id, i) => expect(graphIndex.rankOf(q, id)).toBe(i));
      const exclude = new Set(order.slice(0, 3));
      expect(graphIndex.rankOf(q, order[10]!, { exclude })).toBe(7);
      expect(graphIndex.rankOf(q, order[1]!, { exclude })).toBe(graphIndex.size);
    }
  });

  it('ranks a far-away image by counting every closer one', () => {
    const q = s.queries[3]!;
    const all = bruteForce(s, q, s.ids.length);
    expect(graphIndex.rankOf(q, all[1234]!)).toBe(1234);
  });

  it('rejects an unknown image', () => {
    expect(codeOf(() => graphIndex.rankOf(s.queries[0]!, 'nope'))).toBe('UNKNOWN_IMAGE');
  });
});

describe('UsearchVectorIndex invalid input', () => {
  it('rejects bad queries and k with INVALID_INPUT', () => {
    expect(codeOf(() => graphIndex.search(new Float32Array(dim + 1).fill(1), 5))).toBe('INVALID_INPUT');
    expect(codeOf(() => graphIndex.search(new Float32Array(dim), 5))).toBe('INVALID_INPUT');
    expect(codeOf(() => graphIndex.search(new Float32Array(dim).fill(Number.NaN), 5))).toBe('INVALID_INPUT');
    expect(codeOf(() => graphIndex.search(s.queries[0]!, 0))).toBe('INVALID_INPUT');
    expect(codeOf(() => graphIndex.search(s.queries[0]!, 2.5))).toBe('INVALID_INPUT');
    expect(codeOf(() => graphIndex.rankOf(new Float32Array(3), 'img-1'))).toBe('INVALID_INPUT');
  });

  it('rejects a bad add as a whole, leaving the index unchanged', () => {
    const index = graphOnly.create(dim, 'f32');
    index.add(['a'], [s.vectors[0]!]);
    const good = s.vectors[1]!;
    expect(codeOf(() => index.add(['b', 'c'], [good]))).toBe('INVALID_INPUT');
    expect(codeOf(() => index.add(['b', 'b'], [good, good]))).toBe('INVALID_INPUT');
    expect(codeOf(() => index.add(['b', ''], [good, good]))).toBe('INVALID_INPUT');
    expect(codeOf(() => index.add(['b', 'c'], [good, new Float32Array(dim)]))).toBe('INVALID_INPUT');
    expect(codeOf(() => index.add(['b', 'c'], [good, new Float32Array(dim - 1).fill(1)]))).toBe('INVALID_INPUT');
    expect(codeOf(() => index.add(['b', 'c'], [good, new Float32Array(dim).fill(Infinity)]))).toBe('INVALID_INPUT');
    expect(index.size).toBe(1);
    expect(index.has('b')).toBe(false);
  });

  it('rejects bad dimensions and quantizations', () => {
    expect(codeOf(() => graphOnly.create(0, 'f32'))).toBe('INVALID_INPUT');
    expect(codeOf(() => graphOnly.create(1.5, 'f32'))).toBe('INVALID_INPUT');
    expect(codeOf(() => graphOnly.create(8, 'f8' as 'f32'))).toBe('INVALID_INPUT');
  });
});
