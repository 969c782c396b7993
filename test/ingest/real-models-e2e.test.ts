import { mkdir, rm, stat, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestReport } from '../../core/ports/ingestion.js';
import type { Round } from '../../core/session/session.js';
import { mirage } from '../cli/harness.js';
import { picture, tempDir, writeBytes } from './image-files.js';

/**
 * The "done when": with the fixture ONNX models installed as a user would install them
 * (folders under the models dir), `mirage ingest` embeds a folder through the CLIP towers and
 * `mirage search --strategy generative` renders with the diffusion generator, embeds the
 * synthetic image and searches the archive, all through real ONNX Runtime sessions.
 */
const FIXTURES = resolve('test/fixtures/models');

let root: string;
const cli = (modelsDir: string, ...args: string[]) =>
  mirage(['--data-dir', join(root, 'data'), ...args], { cwd: root, env: { MIRAGE_MODELS_DIR: join(root, modelsDir) } });

interface SearchJson {
  readonly round: Round;
  readonly files: { readonly synthetic: readonly string[] };
}

beforeAll(async () => {
  root = await tempDir('mirage-real-models-');
  await mkdir(join(root, 'models'));
  await symlink(join(FIXTURES, 'clip'), join(root, 'models', 'clip-vit-b32'));
  await symlink(join(FIXTURES, 'sd-turbo'), join(root, 'models', 'sd-turbo'));
  await mkdir(join(root, 'models-no-generator'));
  await symlink(join(FIXTURES, 'clip'), join(root, 'models-no-generator', 'clip-vit-b32'));
  for (let i = 0; i < 10; i++) await writeBytes(join(root, 'photos', `${i}.jpg`), await picture(200 + i, 72, 56).jpeg().toBuffer());
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('real-model path on the fixture ONNX models', () => {
  it('lists the installed folders', async () => {
    const listed = await cli('models', 'models', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^clip-vit-b32\s+clip\s.*\sfp32 \(copied by hand\)$/m);
    expect(listed.stdout).toMatch(/^sd-turbo\s+diffusion\s.*\syes \(copied by hand\)$/m);
  });

  it('ingests with the CLIP embedder, then searches with generative feedback from the diffusion generator', async () => {
    const ingest = await cli('models', 'ingest', 'photos', '--archive', 'real', '--embedder', 'clip-vit-b32', '--batch-size', '4', '--json');
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout) as IngestReport).toMatchObject({ archive: 'real', added: 10, duplicates: 0, skipped: [] });
    const archives = JSON.parse((await cli('models', 'archives', '--json')).stdout) as { name: string; embedder: string; count: number }[];
    expect(archives).toEqual([expect.objectContaining({ name: 'real', embedder: 'clip-vit-b32', count: 10 })]);

    const search = await cli('models', 'search', '--archive', 'real', '--strategy', 'generative', '--k', '5', '--seed', '7', '--out', 'round1', '--json', 'a red car at night');
    expect(search.stderr).toBe('');
    expect(search.code).toBe(0);
    const { round, files } = JSON.parse(search.stdout) as SearchJson;
    expect(round.hits).toHaveLength(5);
    expect(round.hits.every((h) => /^im-[0-9a-f]{16}$/.test(h.id))).toBe(true);
    expect(round.feedback.kind).toBe('synthetic');
    expect(round.timings).toMatchObject({ generate: expect.any(Number), embed: expect.any(Number), search: expect.any(Number) });
    expect(files.synthetic).toHaveLength(1);
    const synthetic = await sharp(files.synthetic[0] as string).metadata();
    expect(synthetic.format).toBe('png');
    expect((await stat(files.synthetic[0] as string)).size).toBeGreaterThan(0);

    // The same seed renders the same image, so the same query vector and the same hits.
    const again = JSON.parse((await cli('models', 'search', '--archive', 'real', '--strategy', 'generative', '--k', '5', '--seed', '7', '--out', 'round1b', '--json', 'a red car at night')).stdout) as SearchJson;
    expect(again.round.hits).toEqual(round.hits);
  });

  it('refuses generative search with NOT_SUPPORTED when no generator is installed, while text search works', async () => {
    const generative = await cli('models-no-generator', 'search', '--archive', 'real', '--strategy', 'generative', 'a red car');
    expect(generative.code).toBe(1);
    expect(generative.stderr).toContain('needs a generator; embedder "clip-vit-b32" has none configured');
    const text = await cli('models-no-generator', 'search', '--archive', 'real', '--strategy', 'text', '--k', '3', '--out', 'text1', '--json', 'a red car');
    expect(text.code).toBe(0);
    expect((JSON.parse(text.stdout) as SearchJson).round.hits).toHaveLength(3);
  });
});
