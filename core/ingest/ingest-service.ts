import { z } from 'zod';
import type { IngestHandler } from '../ports/ingestion.js';
import { archiveNameSchema } from '../session/requests.js';
import { validate } from '../validate.js';
import { invalidInput } from '../errors.js';
import type { ImageLimits } from '../images/limits.js';
import type { ArchiveStore } from '../ports/archive-store.js';
import type { ModelCatalog } from '../ports/model-bundle.js';
import { ingestImages, MAX_INGEST_BATCH_SIZE } from './ingest-images.js';
import type { IngestAccess } from './ingest-access.js';

const ingestRequestSchema = z.object({
  archive: archiveNameSchema,
  source: z.string().min(1, 'the source is empty'),
  embedder: z.string().min(1).max(128).optional(),
  batchSize: z.number().int().min(1).max(MAX_INGEST_BATCH_SIZE).optional(),
});

export interface IngestServiceDependencies {
  readonly archives: ArchiveStore;
  readonly models: ModelCatalog;
  /**
   * What the requests this handler serves may read: LOCAL_ACCESS when they come from this
   * machine's user (the CLI), remoteAccess(config) when they come from others (MCP, a bot, the queue).
   */
  readonly access: IngestAccess;
  readonly limits?: ImageLimits;
}

/**
 * The engine's ingest operation: validates the request, picks the embedder (the one asked for,
 * or for an existing archive the one it was indexed with) and runs ingestImages.
 */
export function createIngestHandler(deps: IngestServiceDependencies): IngestHandler {
  return async (request, options) => {
    const parsed = validate(ingestRequestSchema, request, 'ingest request');
    const existing = (await deps.archives.list()).find((m) => m.name === parsed.archive);
    const embedder = parsed.embedder ?? existing?.embedder;
    if (embedder === undefined) {
      throw invalidInput(`Archive "${parsed.archive}" does not exist yet; say which embedder indexes it (for example --embedder clip-vit-b32, or --embedder scenes).`);
    }
    const bundle = await deps.models.bundleFor(embedder);
    return ingestImages({
      store: deps.archives,
      bundle,
      archive: parsed.archive,
      source: parsed.source,
      access: deps.access,
      ...(parsed.batchSize !== undefined ? { batchSize: parsed.batchSize } : {}),
      ...(deps.limits ? { limits: deps.limits } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.fence ? { fence: options.fence } : {}),
    });
  };
}
