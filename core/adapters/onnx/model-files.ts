import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { MirageError } from '../../errors.js';

/** Model folders are read from local disk only; these helpers turn file problems into MODEL_ERRORs. */

export async function requireModelFolder(dir: string, what: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new MirageError('MODEL_ERROR', `The ${what} model folder ${dir} ${info ? 'is not a folder' : 'does not exist'}. Download it with "mirage models pull" or point MIRAGE_MODELS_DIR at the folder that holds it (layouts: docs/real-models.md).`);
  }
}

export const fileExists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** The first of several relative paths that exists in `dir`; MODEL_ERROR listing all of them otherwise. */
export async function firstExisting(dir: string, candidates: readonly string[], what: string): Promise<string> {
  for (const candidate of candidates) {
    const path = join(dir, candidate);
    if (await fileExists(path)) return path;
  }
  throw new MirageError('MODEL_ERROR', `No ${what} in ${dir}: looked for ${candidates.join(', ')}.`);
}

/** Parsed JSON, or undefined when the file is absent; a malformed file is a MODEL_ERROR. */
export async function readJsonIfPresent(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MirageError('MODEL_ERROR', `Could not read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MirageError('MODEL_ERROR', `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

export async function readJson(path: string, what: string): Promise<unknown> {
  const value = await readJsonIfPresent(path);
  if (value === undefined) throw new MirageError('MODEL_ERROR', `The ${what} file ${path} is missing.`);
  return value;
}

/** Validates a model config file's JSON; MODEL_ERROR naming the file and the first problem. */
export function parseModelConfig<T extends z.ZodType>(schema: T, value: unknown, path: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MirageError('MODEL_ERROR', `${path}: ${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'unexpected content'}.`);
}
