import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  replaceDirectory,
  restoreInterruptedReplace,
  temporarySibling,
  writeFileAtomic,
} from '../../core/fs/atomic-write.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mirage-atomic-'));
  made.push(dir);
  return dir;
};
const read = (path: string) => readFileSync(path, 'utf8');

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving no temporary files', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, new TextEncoder().encode('two'));
    expect(read(path)).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('leaves the old content and no debris when the write fails', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.json');
    await writeFileAtomic(path, 'old');
    // A folder in the way makes the final rename fail after the data was written.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    await expect(writeFileAtomic(join(dir, 'missing', 'x'), 'new')).rejects.toThrow(/ENOENT/);
    expect(read(path)).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'blocked']);
  });
});

describe('replaceDirectory', () => {
  it('creates, then replaces a whole folder', async () => {
    const parent = tempDir();
    const target = join(parent, 'archive');
    await replaceDirectory(target, async (staging) => writeFileSync(join(staging, 'v'), '1'));
    await replaceDirectory(target, async (staging) => {
      mkdirSync(join(staging, 'sub'));
      writeFileSync(join(staging, 'sub', 'v'), '2');
    });
    expect(readdirSync(target)).toEqual(['sub']);
    expect(read(join(target, 'sub', 'v'))).toBe('2');
    expect(readdirSync(parent)).toEqual(['archive']);
  });

  it('keeps the old folder when filling the new one fails', async () => {
    const parent = tempDir();
    const target = join(parent, 'archive');
    await replaceDirectory(target, async (staging) => writeFileSync(join(staging, 'v'), 'old'));
    await expect(
      replaceDirectory(target, async (staging) => {
        writeFileSync(join(staging, 'v'), 'half');
        throw new Error('fill failed');
      }),
    ).rejects.toThrow('fill failed');
    expect(read(join(target, 'v'))).toBe('old');
    expect(readdirSync(parent)).toEqual(['archive']);
  });

  it('restores the old folder after a crash between its two renames', async () => {
    const parent = tempDir();
    const target = join(parent, 'archive');
    await replaceDirectory(target, async (staging) => writeFileSync(join(staging, 'v'), 'old'));
    // What a kill between "target -> replaced" and "staging -> target" leaves behind.
    renameSync(target, temporarySibling(target, 'replaced'));
    mkdirSync(temporarySibling(target, 'staging'));
    expect(await restoreInterruptedReplace(target)).toBe(true);
    expect(read(join(target, 'v'))).toBe('old');
    expect(await restoreInterruptedReplace(target)).toBe(false);
    // The next replace clears the debris.
    await replaceDirectory(target, async (staging) => writeFileSync(join(staging, 'v'), 'new'));
    expect(read(join(target, 'v'))).toBe('new');
    expect(readdirSync(parent)).toEqual(['archive']);
  });
});
