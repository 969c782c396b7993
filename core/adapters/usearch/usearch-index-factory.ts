import { invalidInput } from '../../errors.js';
import type { Quantization } from '../../ports/vector-index.js';
import type { VectorIndexFactory } from '../../ports/vector-index-factory.js';
import { FileVectors } from './file-vectors.js';
import { createGraph } from './graph.js';
import { IdMap } from './id-map.js';
import { MemoryVectors } from './memory-vectors.js';
import { readSavedIndex } from './saved-index.js';
import { UsearchVectorIndex } from './usearch-index.js';
import { defaultTuning, type UsearchTuning } from './usearch-tuning.js';

const quantizations: readonly Quantization[] = ['f32', 'f16', 'i8'];

export class UsearchIndexFactory implements VectorIndexFactory {
  private readonly tuning: UsearchTuning;

  constructor(tuning: Partial<UsearchTuning> = {}) {
    this.tuning = { ...defaultTuning(), ...tuning };
  }

  create(dim: number, quantization: Quantization): UsearchVectorIndex {
    if (!Number.isInteger(dim) || dim < 1) throw invalidInput(`Vector dimension must be a positive integer, got ${dim}.`);
    if (!quantizations.includes(quantization)) {
      throw invalidInput(`Unknown quantization "${String(quantization)}"; use one of ${quantizations.join(', ')}.`);
    }
    const build = { connectivity: this.tuning.connectivity, expansionAdd: this.tuning.expansionAdd };
    return new UsearchVectorIndex({
      dim,
      quantization,
      graph: createGraph(dim, quantization, build, this.tuning.expansionSearch),
      build,
      vectors: new MemoryVectors(dim),
      ids: IdMap.empty(),
      tuning: this.tuning,
      readOnly: false,
    });
  }

  /**
   * With `view`, the graph is memory-mapped instead of read into memory and the raw vectors are
   * read from disk on demand (unless the index is small enough to be searched exactly, then
   * they are read into memory); the index is read-only.
   */
  async load(dir: string, options: { view?: boolean } = {}): Promise<UsearchVectorIndex> {
    const saved = await readSavedIndex(dir);
    const { manifest } = saved;
    const view = options.view === true;
    const build = { connectivity: manifest.connectivity, expansionAdd: manifest.expansionAdd };
    const graph = createGraph(manifest.dim, manifest.quantization, build, this.tuning.expansionSearch);
    try {
      if (view) graph.view(saved.graphPath);
      else graph.load(saved.graphPath);
    } catch (e) {
      throw invalidInput(`The saved vector index in ${dir} is damaged: ${manifest.files.graph} cannot be read (${(e as Error).message}).`);
    }
    if (graph.size() !== manifest.count || graph.dimensions() !== manifest.dim) {
      throw invalidInput(
        `The saved vector index in ${dir} is damaged: ${manifest.files.graph} holds ${graph.size()} vectors of dimension ${graph.dimensions()}, the manifest says ${manifest.count} of ${manifest.dim}.`,
      );
    }
    const vectors =
      view && manifest.count >= this.tuning.exactBelow
        ? FileVectors.open(saved.vectorsPath, manifest.dim, manifest.count)
        : await MemoryVectors.read(saved.vectorsPath, manifest.dim, manifest.count);
    return new UsearchVectorIndex({
      dim: manifest.dim,
      quantization: manifest.quantization,
      graph,
      build,
      vectors,
      ids: saved.ids,
      tuning: this.tuning,
      readOnly: view,
    });
  }
}
