import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestReport } from '../../core/ports/ingestion.js';
import type { ArchiveManifest } from '../../core/ports/archive-store.js';
import { mirage } from '../cli/harness.js';
import { picture, tempDir, writeBytes } from './image-files.js';

let root: string;
const cli = (...args: string[]) => mirage(['--data-dir', join(root, 'data'), ...args], { cwd: root, env: { MIRAGE_MODELS_DIR: join(root, 'models') } });

beforeAll(async () => {
  root = await tempDir('mirage-ingest-cli-');
  for (let i = 0; i < 5; i++) await writeBytes(join(root, 'pics', `p${i}.png`), await picture(100 + i, 40, 30).png().toBuffer());
  await writeBytes(join(root, 'pics', 'bad.jpg'), Buffer.from('not a jpeg'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mirage ingest / archive rm / archive delete', () => {
  it('ingests a folder, prints the skipped files, and adds nothing new on a re-run', async () => {
    const first = await cli('ingest', 'pics', '--archive', 'mine', '--embedder', 'scenes', '--batch-size', '2');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Archive "mine": 5 added, 0 already there (same bytes), 1 skipped, of 6 found.');
    expect(first.stdout).toMatch(/^\s+pics\/bad\.jpg\s+unsupported format$/m);
    expect(first.stdout).toContain('search --archive mine');

    const again = await cli('ingest', 'pics', '--archive', 'mine', '--json');
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as IngestReport;
    expect(report).toMatchObject({ archive: 'mine', added: 0, duplicates: 5, total: 6 });
    expect(report.skipped).toEqual([{ source: join(root, 'pics', 'bad.jpg'), reason: 'unsupported format' }]);
  });

  it('asks for an embedder when the archive is new, and names unknown embedders', async () => {
    const missing = await cli('ingest', 'pics', '--archive', 'fresh');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist yet; say which embedder indexes it');
    const unknown = await cli('ingest', 'pics', '--archive', 'fresh', '--embedder', 'clip-vit-b32');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No models are configured for embedder "clip-vit-b32"');
    const badBatch = await cli('ingest', 'pics', '--archive', 'fresh', '--embedder', 'scenes', '--batch-size', '0');
    expect(badBatch.code).toBe(2);
  });

  it('removes images by id, refusing unknown ids without changing anything', async () => {
    const before = JSON.parse((await cli('archives', '--json')).stdout) as ArchiveManifest[];
    const count = before.find((m) => m.name === 'mine')?.count as number;
    const report = JSON.parse((await cli('search', '--archive', 'mine', '--strategy', 'text', '--json', 'a picture')).stdout) as {
      round: { hits: { id: string }[] };
    };
    const [a, b] = report.round.hits.map((h) => h.id);

    const unknown = await cli('archive', 'rm', '--archive', 'mine', a as string, 'im-doesnotexist');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('im-doesnotexist');

    const removed = await cli('archive', 'rm', '--archive', 'mine', a as string, b as string);
    expect(removed.code).toBe(0);
    expect(removed.stdout.trim()).toBe(`Removed 2 image(s) from archive "mine"; it now holds ${count - 2}.`);
    const readded = JSON.parse((await cli('ingest', 'pics', '--archive', 'mine', '--json')).stdout) as IngestReport;
    expect(readded.added).toBe(2);
  });

  it('deletes a whole archive only with --yes', async () => {
    const refused = await cli('archive', 'delete', 'mine');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('repeat with --yes');
    expect((await cli('archives')).stdout).toMatch(/^mine\s/m);
    const deleted = await cli('archive', 'delete', 'mine', '--yes');
    expect(deleted.code).toBe(0);
    expect((await cli('archives')).stdout.trim()).toBe('(no archives)');
  });
});
