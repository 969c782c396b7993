import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ArchiveManifest } from '../../ports/archive-store.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { unlessMissing } from './fs-errors.js';

export const quantizationSchema = z.enum(['f32', 'f16', 'i8']);

export const originSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scenes'), seed: z.number().int(), size: z.number().int().positive(), nearDuplicateRate: z.number().min(0).max(1).optional() }),
  z.object({ kind: z.literal('ingest') }),
]);

const manifestSchema = z.object({
  name: z.string(),
  embedder: z.string(),
  dim: z.number().int().positive(),
  quantization: quantizationSchema,
  origin: originSchema,
  count: z.number().int().nonnegative(),
  version: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * Undefined when there is no manifest: the archive does not exist (or its creation never
 * finished). The name is taken from the folder, so an archive folder renamed by hand works.
 */
export async function readManifest(path: string, name: string): Promise<ArchiveManifest | undefined> {
  const text = await unlessMissing(readFile(path, 'utf8'));
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON.`, { cause: e });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not a valid archive manifest: ${z.prettifyError(parsed.error)}`);
  return { ...parsed.data, name };
}

/** Replacing manifest.json is the commit point of every archive change. */
export async function writeManifest(path: string, manifest: ArchiveManifest): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
