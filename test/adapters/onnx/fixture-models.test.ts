import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MODELS } from './fixture-paths.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/make-fixture-models.mjs', import.meta.url));

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name))).sort();
}

describe('fixture models', () => {
  it('are exactly what scripts/make-fixture-models.mjs builds, and small', async () => {
    const out = await mkdtemp(join(tmpdir(), 'mirage-fixtures-'));
    try {
      await promisify(execFile)(process.execPath, [SCRIPT, '--out', out]);
      const built = await filesUnder(out);
      const committed = await filesUnder(FIXTURE_MODELS);
      expect(committed).toEqual(built);
      for (const file of built) {
        expect(Buffer.compare(await readFile(join(out, file)), await readFile(join(FIXTURE_MODELS, file))), file).toBe(0);
      }
      const sizes = await Promise.all(built.map(async (f) => (await stat(join(out, f))).size));
      expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(200 * 1024);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
