import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../bench/gpu-bench.js';
import { FIXTURE_MODELS } from '../adapters/onnx/fixture-paths.js';

describe('gpu bench', () => {
  const made: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const captureStdout = (): string[] => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    return written;
  };

  it('says which models are missing and returns normally (exit 0) when none are installed', async () => {
    const models = mkdtempSync(join(tmpdir(), 'mirage-gpu-bench-'));
    made.push(models);
    const written = captureStdout();
    await main(['--models-dir', models, '--out', join(models, 'results')]);
    const text = written.join('');
    expect(text).toContain('GPU benchmark skipped');
    expect(text).toContain('missing a CLIP model (mirage models pull clip-vit-b32) and a diffusion model (mirage models pull sd-turbo) in');
    expect(text).toContain(models);
  });

  it('refuses to measure on the CPU: with models but no CUDA it says why and returns normally', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mirage-gpu-bench-'));
    made.push(out);
    const written = captureStdout();
    // This machine (and CI) has no CUDA; the tiny fixture models stand in for the real ones.
    await main(['--models-dir', FIXTURE_MODELS, '--clip', 'clip', '--generator', 'sd-turbo', '--out', out]);
    expect(written.join('')).toMatch(/^GPU benchmark skipped: CUDA cannot be used here \(CUDA could not be used for CLIP (vision|text) model/);
  });

  it('with --cpu runs the whole round (generate, embed, search) on the tiny fixture models and reports every stage', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mirage-gpu-bench-'));
    made.push(out);
    const written = captureStdout();
    const args = ['--models-dir', FIXTURE_MODELS, '--clip', 'clip', '--generator', 'sd-turbo', '--cpu', '--rounds', '3', '--warmup', '1'];
    await main([...args, '--index-size', '3000', '--out', out]);
    const text = written.join('');
    expect(text).toContain('ON THE CPU');
    for (const stage of ['generate', 'embed', 'search', 'round (end to end)']) expect(text).toMatch(new RegExp(`\\| ${stage.replace(/[()]/g, '\\$&')} \\| \\d+\\.\\d \\| \\d+\\.\\d \\|`));
    const [saved] = readdirSync(out);
    const json = JSON.parse(readFileSync(join(out, saved as string), 'utf8'));
    expect(json.timings.round).toHaveLength(3);
    expect(json.summary.round.p50Ms).toBeGreaterThan(0);
  });
});
