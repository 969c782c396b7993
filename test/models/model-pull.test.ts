import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MirageError } from '../../core/errors.js';
import { describeModelFolder } from '../../core/models/installed-models.js';
import { MODEL_MANIFEST_FILE, readModelManifest } from '../../core/models/model-manifest.js';
import { pinPreset, pullModel, type PullProgress } from '../../core/models/model-pull.js';
import type { PresetPins } from '../../core/models/preset-pins.js';
import { findPreset, isIncluded } from '../../core/models/presets.js';
import { FakeHub, gitBlobId, randomBytesFrom, sha256, type FakeRepoFile } from './fake-hub.js';

const preset = findPreset('clip-vit-b32');
if (!preset) throw new Error('clip-vit-b32 preset missing');
const REPO = preset.repo;
const VISION = 'onnx/vision_model_quantized.onnx';
const TEXT = 'onnx/text_model_quantized.onnx';

function repoFiles(): FakeRepoFile[] {
  return [
    { path: VISION, bytes: randomBytesFrom(1, 600_000), lfs: true },
    { path: TEXT, bytes: randomBytesFrom(2, 300_000), lfs: true },
    // Another variant's tower: must not be fetched for "quantized".
    { path: 'onnx/vision_model.onnx', bytes: randomBytesFrom(3, 50_000), lfs: true },
    { path: 'tokenizer.json', bytes: Buffer.from('{"model":{"type":"BPE"}}\n') },
    { path: 'tokenizer_config.json', bytes: Buffer.from('{"model_max_length":77}\n') },
    { path: 'preprocessor_config.json', bytes: Buffer.from('{"crop_size":224,"image_mean":[0.5,0.5,0.5]}\n') },
    { path: 'config.json', bytes: Buffer.from('{"projection_dim":512}\n') },
    { path: 'README.md', bytes: Buffer.from('# not fetched\n') },
  ];
}

let hub: FakeHub;
let modelsDir: string;
const files = repoFiles();
const bytesOf = (path: string) => files.find((f) => f.path === path)?.bytes as Buffer;

/** The commit the test pins the preset to. */
const COMMIT = 'c0ffee'.padEnd(40, '0');

/** A pin of the quantized variant made from the files themselves, as a reviewer would record them. */
function pinsOf(repo: readonly FakeRepoFile[]): PresetPins {
  const variant = preset?.variants.quantized;
  if (!variant) throw new Error('no quantized variant');
  const pinned = repo
    .filter((f) => isIncluded(variant, f.path))
    .map((f) => [f.path, { size: f.bytes.length, digest: f.lfs ? `sha256:${sha256(f.bytes)}` : `git-sha1:${gitBlobId(f.bytes)}` }]);
  return { 'clip-vit-b32': { revision: COMMIT, variants: { quantized: Object.fromEntries(pinned) } } };
}
const PINS = pinsOf(files);

beforeEach(async () => {
  hub = await FakeHub.start(REPO, files);
  modelsDir = await mkdtemp(join(tmpdir(), 'mirage-pull-'));
});

afterEach(async () => {
  await hub.close();
  await rm(modelsDir, { recursive: true, force: true });
});

const pull = (extra: { onProgress?: (p: PullProgress) => void; pins?: PresetPins; unpinned?: boolean } = {}) =>
  pullModel({ preset: 'clip-vit-b32', variant: 'quantized', modelsDir, hubUrl: hub.url, pins: PINS, ...extra });

async function expectError(promise: Promise<unknown>): Promise<MirageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MirageError);
  return error as MirageError;
}

describe('pullModel against a local fake hub', () => {
  it('downloads exactly the variant\'s files, verified, and writes the manifest', async () => {
    const progress: PullProgress[] = [];
    const report = await pull({ onProgress: (p) => progress.push(p) });

    const expected = [TEXT, VISION, 'config.json', 'preprocessor_config.json', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']
      .filter((p) => files.some((f) => f.path === p))
      .sort();
    expect(report.files.map((f) => f.path)).toEqual(expected);
    expect(report.files.every((f) => f.outcome === 'downloaded')).toBe(true);
    for (const path of expected) expect((await readFile(join(report.dir, path))).equals(bytesOf(path))).toBe(true);
    await expect(stat(join(report.dir, 'onnx/vision_model.onnx'))).rejects.toThrow();
    await expect(stat(join(report.dir, 'README.md'))).rejects.toThrow();

    const manifest = readModelManifest(report.dir);
    expect(manifest?.roles).toEqual({ vision: VISION, text: TEXT });
    expect(manifest?.files.find((f) => f.path === VISION)?.digest).toBe(`sha256:${sha256(bytesOf(VISION))}`);
    expect(manifest?.files.find((f) => f.path === 'tokenizer.json')?.digest).toBe(`git-sha1:${gitBlobId(bytesOf('tokenizer.json'))}`);
    expect(describeModelFolder(report.dir)).toMatchObject({ id: 'clip-vit-b32', kind: 'clip', variant: 'quantized', pulled: true });

    const total = expected.reduce((s, p) => s + bytesOf(p).length, 0);
    expect(report.totalBytes).toBe(total);
    expect(progress.at(-1)).toMatchObject({ bytes: total, total });
    expect(progress.map((p) => p.bytes)).toEqual([...progress.map((p) => p.bytes)].sort((a, b) => a - b));
  });

  it('skips files already complete on a second run', async () => {
    await pull();
    const before = hub.requests.length;
    const again = await pull();
    expect(again.files.every((f) => f.outcome === 'present')).toBe(true);
    const later = hub.requests.slice(before);
    expect(later.every((r) => r.url.includes('/api/models/'))).toBe(true);
  });

  it('keeps the bytes of a download cut off mid-file and finishes it on the next run', async () => {
    hub.cutAfter.set(VISION, 200_000);
    const first = await expectError(pull());
    expect(first.code).toBe('MODEL_ERROR');
    expect(first.message).toMatch(/onnx\/vision_model_quantized\.onnx: the download stopped after \d+ of 600000 bytes.*run the pull again to resume/);
    const part = join(modelsDir, 'clip-vit-b32', `${VISION}.part`);
    const partBytes = await readFile(part);
    expect(partBytes.length).toBeLessThanOrEqual(200_000);
    expect(partBytes.equals(bytesOf(VISION).subarray(0, partBytes.length))).toBe(true);
    expect(readModelManifest(join(modelsDir, 'clip-vit-b32'))).toBeUndefined();

    const report = await pull();
    expect((await readFile(join(report.dir, VISION))).equals(bytesOf(VISION))).toBe(true);
    await expect(stat(part)).rejects.toThrow();
  });

  it('resumes a partial file with a range request for the rest', async () => {
    const part = join(modelsDir, 'clip-vit-b32', `${VISION}.part`);
    await mkdir(dirname(part), { recursive: true });
    await writeFile(part, bytesOf(VISION).subarray(0, 123_456));
    const progress: PullProgress[] = [];
    const report = await pull({ onProgress: (p) => progress.push(p) });
    expect(report.files.find((f) => f.path === VISION)?.outcome).toBe('resumed');
    expect(hub.downloadsOf(VISION).map((r) => r.range)).toEqual(['bytes=123456-599999']);
    expect((await readFile(join(report.dir, VISION))).equals(bytesOf(VISION))).toBe(true);
    expect(progress.at(-1)?.bytes).toBe(report.totalBytes);
  });

  it('detects a checksum mismatch, deletes the bad bytes, and succeeds once the hub serves the right file', async () => {
    const tampered = Buffer.from(bytesOf(TEXT));
    tampered[1234] = (tampered[1234] ?? 0) ^ 0xff;
    hub.serveInstead.set(TEXT, tampered);
    const error = await expectError(pull());
    expect(error.message).toContain(`${TEXT}: checksum mismatch (the hub lists sha256:${sha256(bytesOf(TEXT))}, the download hashes to sha256:${sha256(tampered)})`);
    const dir = join(modelsDir, 'clip-vit-b32');
    await expect(stat(join(dir, TEXT))).rejects.toThrow();
    await expect(stat(join(dir, `${TEXT}.part`))).rejects.toThrow();

    hub.serveInstead.clear();
    const report = await pull();
    expect((await readFile(join(report.dir, TEXT))).equals(bytesOf(TEXT))).toBe(true);
  });

  it('detects a size mismatch between the listing and the served file', async () => {
    hub.serveInstead.set(VISION, bytesOf(VISION).subarray(0, 599_000));
    const error = await expectError(pull());
    expect(error.message).toContain(`${VISION}: size mismatch (the listing says 600000 bytes, the server offers 599000)`);
  });

  it('detects a small file whose bytes do not match its git blob id', async () => {
    hub.serveInstead.set('tokenizer.json', Buffer.from('{"model":{"type":"XXX"}}\n'));
    const error = await expectError(pull());
    expect(error.message).toMatch(/^tokenizer\.json: checksum mismatch \(the hub lists git-sha1:[0-9a-f]{40}/);
  });

  it('re-downloads a complete-looking file whose content was damaged on disk', async () => {
    const first = await pull();
    const path = join(first.dir, TEXT);
    const damaged = Buffer.from(bytesOf(TEXT));
    damaged[0] = (damaged[0] ?? 0) ^ 1;
    await writeFile(path, damaged);
    const report = await pull();
    expect(report.files.find((f) => f.path === TEXT)?.outcome).toBe('downloaded');
    expect((await readFile(path)).equals(bytesOf(TEXT))).toBe(true);
  });

  it('names the missing files when the repository lacks what the preset needs', async () => {
    await hub.close();
    hub = await FakeHub.start(REPO, files.filter((f) => f.path !== TEXT));
    const error = await expectError(pull());
    expect(error.message).toContain(`${REPO} lacks ${TEXT}`);
    await expect(stat(join(modelsDir, 'clip-vit-b32', VISION))).rejects.toThrow();
  });

  it('says clearly that the hub cannot be reached, and how to install by hand', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const url = `http://127.0.0.1:${port}`;
    const error = await expectError(pullModel({ preset: 'clip-vit-b32', modelsDir, hubUrl: url, unpinned: true }));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toContain(`Cannot reach the model hub at ${url}`);
    expect(error.message).toContain(`copy the files of ${REPO} into ${join(modelsDir, 'clip-vit-b32')} by hand`);
  });

  it('rejects unknown presets and variants with the known names', async () => {
    const unknownPreset = await expectError(pullModel({ preset: 'clip-vit-h14', modelsDir, hubUrl: hub.url }));
    expect(unknownPreset.code).toBe('INVALID_INPUT');
    expect(unknownPreset.message).toContain('known: clip-vit-b32, mobileclip-s0, sd-turbo');
    const unknownVariant = await expectError(pullModel({ preset: 'clip-vit-b32', variant: 'int4', modelsDir, hubUrl: hub.url }));
    expect(unknownVariant.message).toContain('choose one of fp32, quantized');
  });

  it('stops when aborted and leaves no manifest', async () => {
    const controller = new AbortController();
    const pending = pullModel({
      preset: 'clip-vit-b32',
      variant: 'quantized',
      modelsDir,
      hubUrl: hub.url,
      pins: PINS,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytes > 0) controller.abort(new DOMException('stop', 'AbortError'));
      },
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(stat(join(modelsDir, 'clip-vit-b32', MODEL_MANIFEST_FILE))).rejects.toThrow();
  });
});

describe('pinned presets', () => {
  it('fetches a pinned preset from its pinned commit, never from the branch', async () => {
    const report = await pull();
    expect(report.pinned).toBe(true);
    expect(hub.listedRevisions()).toEqual([COMMIT]);
    expect(hub.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.url.includes(`/resolve/${COMMIT}/`))).toBe(true);
    expect(readModelManifest(report.dir)?.revision).toBe(COMMIT);
  });

  it('stops before any download when what the hub lists differs from the pin', async () => {
    await hub.close();
    const changed = files.map((f) => (f.path === TEXT ? { ...f, bytes: randomBytesFrom(7, 300_000) } : f));
    hub = await FakeHub.start(REPO, [...changed, { path: 'special_tokens_map.json', bytes: Buffer.from('{}\n') }]);
    const error = await expectError(pull());
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toContain(`Preset "clip-vit-b32" (quantized) differs from its pinned files upstream: `);
    expect(error.message).toContain(`${TEXT} is sha256:${sha256(changed.find((f) => f.path === TEXT)?.bytes as Buffer)} (300000 bytes), pinned sha256:${sha256(bytesOf(TEXT))}`);
    expect(error.message).toContain('special_tokens_map.json is new');
    expect(hub.requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);

    const gone = await expectError(pull({ pins: pinsOf([...files, { path: 'tokenizer.json.extra', bytes: Buffer.from('x') }]) }));
    expect(gone.message).not.toContain('tokenizer.json.extra');
    const missing = pinsOf(files);
    const quantized = missing['clip-vit-b32']?.variants.quantized ?? {};
    await hub.close();
    hub = await FakeHub.start(REPO, files.filter((f) => f.path !== 'config.json'));
    expect((await expectError(pull({ pins: { 'clip-vit-b32': { revision: COMMIT, variants: { quantized } } } }))).message).toContain('config.json is gone');
  });

  it('refuses a preset without a pin unless asked to trust the hub listing, which it then follows at the branch', async () => {
    const refused = await expectError(pull({ pins: {} }));
    expect(refused.code).toBe('NOT_SUPPORTED');
    expect(refused.message).toMatch(/not pinned to a reviewed commit.*--unpinned/);
    expect(hub.requests).toEqual([]);
    const report = await pull({ pins: {}, unpinned: true });
    expect(report.pinned).toBe(false);
    expect(hub.listedRevisions()).toEqual(['main']);
  });

  it('makes a pin at a commit that a pull then accepts', async () => {
    const pins = await pinPreset({ preset: 'clip-vit-b32', variant: 'quantized', revision: COMMIT, hubUrl: hub.url });
    expect(pins).toEqual(PINS);
    expect((await pull({ pins })).pinned).toBe(true);
    await expect(pinPreset({ preset: 'clip-vit-b32', revision: 'main', hubUrl: hub.url })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
