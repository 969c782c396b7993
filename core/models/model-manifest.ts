import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MirageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';

/** Written last by a pull, so its presence means every file below was downloaded and verified. */
export const MODEL_MANIFEST_FILE = 'mirage-model.json';

const fileSchema = z.object({
  path: z.string().min(1),
  size: z.number().int().min(0),
  /** sha256 of an LFS file, or the git blob id (sha1) of a small file, as the hub lists them. */
  digest: z.string().regex(/^(sha256|git-sha1):[0-9a-f]+$/),
});

export const modelManifestSchema = z.object({
  format: z.literal(1),
  kind: z.enum(['clip', 'diffusion']),
  preset: z.string().optional(),
  variant: z.string().optional(),
  repo: z.string().optional(),
  revision: z.string().optional(),
  dim: z.number().int().positive().optional(),
  /** The ONNX files the loader opens, by role, relative to the folder. */
  roles: z.record(z.string(), z.string()),
  files: z.array(fileSchema),
  pulledAt: z.string(),
});

export type ModelManifest = z.output<typeof modelManifestSchema>;

/** The manifest of a model folder; undefined when there is none. Sync: read once at start-up. */
export function readModelManifest(dir: string): ModelManifest | undefined {
  const path = join(dir, MODEL_MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MirageError('INVALID_INPUT', `${path} is not valid JSON; delete it and pull the model again.`);
  }
  const result = modelManifestSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new MirageError('INVALID_INPUT', `${path} is malformed (${issue?.path.join('.') ?? ''}: ${issue?.message ?? '?'}); delete it and pull the model again.`);
  }
  return result.data;
}

export async function writeModelManifest(dir: string, manifest: ModelManifest): Promise<void> {
  await writeFileAtomic(join(dir, MODEL_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
