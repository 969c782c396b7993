import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelManifest } from '../../core/models/model-manifest.js';
import { findPreset } from '../../core/models/presets.js';
import { mirage } from '../cli/harness.js';
import { tempDir } from '../ingest/image-files.js';
import { FakeHub, randomBytesFrom } from './fake-hub.js';

let root: string;
let hub: FakeHub;

beforeAll(async () => {
  root = await tempDir('mirage-models-cli-');
  hub = await FakeHub.start(findPreset('mobileclip-s0')?.repo as string, [
    { path: 'onnx/vision_model.onnx', bytes: randomBytesFrom(31, 70_000), lfs: true },
    { path: 'onnx/text_model.onnx', bytes: randomBytesFrom(32, 50_000), lfs: true },
    { path: 'tokenizer.json', bytes: Buffer.from('{}\n') },
    { path: 'preprocessor_config.json', bytes: Buffer.from('{"image_mean":[0,0,0]}\n') },
  ]);
});

afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

describe('mirage models', () => {
  it('pulls a preset into the models folder and lists it as installed', async () => {
    const refused = await mirage(['models', 'pull', 'mobileclip-s0', '--hub-url', hub.url], { cwd: root, env: { MIRAGE_MODELS_DIR: 'weights' } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not pinned to a reviewed commit.*--unpinned/);
    const pulled = await mirage(['models', 'pull', 'mobileclip-s0', '--unpinned', '--hub-url', hub.url], { cwd: root, env: { MIRAGE_MODELS_DIR: 'weights' } });
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain(
      "mobileclip-s0 (fp32) from Xenova/mobileclip_s0 is in weights/mobileclip-s0: 4 files, 120 kB, 4 fetched now, all verified against the hub's listing (unpinned).",
    );
    expect(readModelManifest(join(root, 'weights', 'mobileclip-s0'))?.variant).toBe('fp32');

    const again = await mirage(['models', 'pull', 'mobileclip-s0', '--unpinned', '--dir', 'weights', '--hub-url', hub.url], { cwd: root });
    expect(again.stdout).toContain('0 fetched now');

    const listed = await mirage(['models', 'list', '--dir', 'weights'], { cwd: root });
    expect(listed.stdout).toMatch(/^mobileclip-s0\s+clip\s.*Xenova\/mobileclip_s0\s+fp32$/m);
    expect(listed.stdout).toMatch(/^clip-vit-b32\s+clip\s.*\s-$/m);
  });

  it('fails with exit code 1 and the reason when the hub cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const result = await mirage(['models', 'pull', 'sd-turbo', '--unpinned', '--dir', 'weights', '--hub-url', url], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: Cannot reach the model hub at ${url.replace(/\./g, '\\.')}: .*copy the files of onnxruntime/sd-turbo into .*weights/sd-turbo by hand`));
  });

  it('prints the pin of a preset at a commit, for maintainers to record', async () => {
    const commit = 'a'.repeat(40);
    const result = await mirage(['models', 'pin', 'mobileclip-s0', '--revision', commit, '--hub-url', hub.url], { cwd: root });
    expect(result.code).toBe(0);
    const pins = JSON.parse(result.stdout) as Record<string, { revision: string; variants: Record<string, Record<string, { digest: string }>> }>;
    expect(pins['mobileclip-s0']?.revision).toBe(commit);
    expect(Object.keys(pins['mobileclip-s0']?.variants.fp32 ?? {}).sort()).toEqual(['onnx/text_model.onnx', 'onnx/vision_model.onnx', 'preprocessor_config.json', 'tokenizer.json']);
  });

  it('rejects an unknown preset as bad input', async () => {
    const result = await mirage(['models', 'pull', 'dall-e'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown model preset "dall-e"');
  });
});
