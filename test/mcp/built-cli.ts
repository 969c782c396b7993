import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const BUILT_CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const SOURCE_DIRS = ['core', 'cli', 'mcp-server'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ with tsc when it is missing or older than the sources (a fresh clone has it
 * from `npm ci`, which runs the build). Type errors elsewhere do not stop tsc from emitting,
 * so success is judged by the files the test needs.
 */
export async function ensureBuilt(needed: readonly string[]): Promise<void> {
  const files = [BUILT_CLI, ...needed.map((f) => path.join(REPO_ROOT, f))];
  const newest = Math.max(...SOURCE_DIRS.map((d) => newestSource(path.join(REPO_ROOT, d))));
  if (files.every((f) => existsSync(f) && statSync(f).mtimeMs >= newest)) return;
  await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: REPO_ROOT,
  }).catch(() => undefined);
  const missing = files.filter((f) => !existsSync(f) || statSync(f).mtimeMs < newest);
  if (missing.length > 0) throw new Error(`tsc -p tsconfig.json did not produce ${missing.join(', ')}`);
}
