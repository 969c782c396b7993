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

const attributesSchema = z
  .record(z.string().regex(/^[a-z][a-zA-Z0-9_-]{0,31}$/, 'attribute names are short lowercase-first words'), z.string().max(256))
  .refine((a) => Object.keys(a).length <= 16, 'at most 16 attributes per image');

const ingestItemSchema = z.object({
  path: z.string().min(1, 'the path is empty'),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'image ids use letters, digits, ".", "_" and "-" (at most 128)'),
  attributes: attributesSchema.optional(),
});

const ingestRequestSchema = z.object({
  archive: archiveNameSchema,
  source: z.string().min(1, 'the source is empty').optional(),
  items: z.array(ingestItemSchema).min(1, 'no items').max(10_000).optional(),
  embedder: z.string().min(1).max(128).optional(),
  batchSize: z.number().int().min(1).max(MAX_INGEST_BATCH_SIZE).optional(),
}).refine((r) => (r.source === undefined) !== (r.items === undefined), 'give either a source or items');

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
      ...(parsed.source !== undefined ? { source: parsed.source } : {}),
      ...(parsed.items !== undefined ? { items: parsed.items } : {}),
      access: deps.access,
      ...(parsed.batchSize !== undefined ? { batchSize: parsed.batchSize } : {}),
      ...(deps.limits ? { limits: deps.limits } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.fence ? { fence: options.fence } : {}),
    });
  };
}
