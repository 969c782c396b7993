import type { AttributeReader } from './attribute-reader.js';
import type { Generator } from './generator.js';
import type { ImageEmbedder } from './image-embedder.js';
import type { TextEmbedder } from './text-embedder.js';

/** The models that serve one archive; an archive records the embedder id it was indexed with. */
export interface ModelBundle {
  readonly embedderId: string;
  readonly imageEmbedder: ImageEmbedder;
  readonly textEmbedder?: TextEmbedder;
  readonly generator?: Generator;
  readonly attributes?: AttributeReader;
}

export interface ModelCatalog {
  /** The bundle for an embedder id; throws NOT_SUPPORTED for an id it cannot serve. */
  bundleFor(embedderId: string): Promise<ModelBundle>;
}
