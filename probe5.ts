import { UsearchIndexFactory } from './core/adapters/usearch/usearch-index-factory.js';
import { ClusteredVectors, rowsOf } from './bench/clustered-vectors.js';
const dim = 512, n = 30000;
const cv = new ClusteredVectors(dim, 300, 1);
const rows = rowsOf(cv.sample(n, 2), dim); const qs = rowsOf(cv.sample(500, 3), dim);
const f = new UsearchIndexFactory({ exactBelow: 0, expansionSearch: 8 });
for (const quant of ['f32', 'i8'] as const) {
  const idx = f.create(dim, quant);
  idx.add(rows.map((_, i) => `v${i}`), rows);
  const g = (idx as any).graph;
  const time = (fn: (q: Float32Array) => unknown) => { const t = performance.now(); for (const q of qs) fn(q); return ((performance.now() - t) / qs.length).toFixed(3); };
  for (let r = 0; r < 2; r++) console.log(quant, 'raw k10', time((q) => g.search(q, 10, 1)), 'raw k30', time((q) => g.search(q, 30, 1)), 'adapter', time((q) => idx.search(q, 10)));
}
