import { Index, MetricKind, ScalarKind } from 'usearch';
import type { Quantization } from '../../ports/vector-index.js';

export interface GraphBuild {
  readonly connectivity: number;
  readonly expansionAdd: number;
}

const scalarKinds: Record<Quantization, ScalarKind> = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 };

/** An empty USearch HNSW graph over cosine distance; keys are unique (multi: false). */
export function createGraph(dim: number, quantization: Quantization, build: GraphBuild, expansionSearch: number): Index {
  return new Index({
    dimensions: dim,
    metric: MetricKind.Cos,
    quantization: scalarKinds[quantization],
    connectivity: build.connectivity,
    expansion_add: build.expansionAdd,
    expansion_search: expansionSearch,
    multi: false,
  });
}
