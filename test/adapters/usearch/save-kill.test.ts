import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { filled, sample } from './fixtures.js';
import { useTempDirs } from './temp-dir.js';

const child = fileURLToPath(new URL('./save-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const tempDir = useTempDirs();

describe('UsearchVectorIndex save killed with SIGKILL', () => {
  it('leaves the previous index loadable', async () => {
    const dim = 16;
    const s = sample(300, dim, 3);
    const factory = new UsearchIndexFactory({ exactBelow: 0 });
    const dir = tempDir();
    const old = filled(factory.create(dim, 'f32'), s);
    await old.save(dir);
    const oldFiles = new Set(readdirSync(dir));

    // 4k x 2048 f32: 32 MB of vectors plus a graph of similar size to write and flush.
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, '4000', '2048'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));

    // Kill as soon as the first file of the new generation appears.
    let newFiles: string[] = [];
    while (newFiles.length === 0 && proc.exitCode === null) {
      await sleep(2);
      if (output.includes('saving')) newFiles = readdirSync(dir).filter((f) => !oldFiles.has(f));
    }
    proc.kill('SIGKILL');
    expect(await exited, output).toBe('SIGKILL');
    expect(output).not.toContain('saved');
    expect(newFiles.length).toBeGreaterThan(0);

    const loaded = await factory.load(dir);
    expect(loaded.size).toBe(s.ids.length);
    for (const q of s.queries) expect(loaded.search(q, 10)).toEqual(old.search(q, 10));
    expect(loaded.vectorOf('img-7')).toEqual(s.vectors[7]);

    // The next save clears the debris of the killed one.
    await old.save(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', ...Object.values(manifest.files as Record<string, string>)].sort());
  });
});
