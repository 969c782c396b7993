import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Built by scripts/make-fixture-models.mjs and committed. */
export const FIXTURE_MODELS = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

export const fixture = (...parts: string[]): string => join(FIXTURE_MODELS, ...parts);

/** A writable copy of one fixture folder, for tests that break it on purpose. */
export async function copyFixture(name: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mirage-onnx-'));
  const dir = join(root, name);
  await cp(fixture(name), dir, { recursive: true });
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
