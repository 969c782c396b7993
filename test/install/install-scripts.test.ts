import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../mcp/built-cli.js';

const run = promisify(execFile);

interface LockEntry {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}
interface Lockfile {
  readonly packages: Record<string, LockEntry>;
  readonly [key: string]: unknown;
}
interface PackageJson {
  readonly engines?: Record<string, string>;
  readonly allowScripts?: Record<string, boolean>;
  readonly dependencies: Record<string, string>;
}

const ORT = 'onnxruntime-node';
const folders: string[] = [];

/** The environment npm would see from a shell: nothing inherited from an npm that runs the tests. */
const shellEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

/** The part of this repository's lockfile that installs onnxruntime-node, with what it depends on. */
function lockfileFor(lock: Lockfile, name: string, root: LockEntry): Lockfile {
  const packages: Record<string, LockEntry> = { '': root };
  const up = (key: string) => key.slice(0, Math.max(0, key.lastIndexOf('/node_modules/')));
  const visit = (from: string, dependency: string, optional: boolean) => {
    for (let dir = from; ; dir = up(dir)) {
      const key = `${dir ? `${dir}/` : ''}node_modules/${dependency}`;
      const entry = lock.packages[key];
      if (entry) {
        if (packages[key]) return;
        packages[key] = entry;
        for (const d of Object.keys(entry.dependencies ?? {})) visit(key, d, false);
        for (const d of Object.keys(entry.optionalDependencies ?? {})) visit(key, d, true);
        return;
      }
      if (dir === '') {
        if (optional) return;
        throw new Error(`${dependency} (needed by ${from || 'the root'}) is not in package-lock.json`);
      }
    }
  };
  visit('', name, false);
  return { ...lock, packages };
}

/**
 * A project that depends on onnxruntime-node only, with this repository's install settings
 * (.npmrc, engines, allowScripts) and locked versions: npm really runs onnxruntime-node's
 * install script (or not), from the cache that `npm ci` filled, without the rest of the tree.
 */
async function projectLikeThisOne(change: (pkg: { allowScripts?: Record<string, boolean> }) => void = () => undefined): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mirage-install-'));
  folders.push(dir);
  const ours = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const pkg: { name: string; version: string; private: boolean; allowScripts?: Record<string, boolean>; engines?: Record<string, string>; dependencies: Record<string, string> } = {
    name: 'install-check',
    version: '1.0.0',
    private: true,
    ...(ours.engines ? { engines: ours.engines } : {}),
    ...(ours.allowScripts ? { allowScripts: ours.allowScripts } : {}),
    dependencies: { [ORT]: ours.dependencies[ORT] as string },
  };
  change(pkg);
  const root = { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, ...(pkg.engines ? { engines: pkg.engines } : {}) };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  await writeFile(path.join(dir, 'package-lock.json'), JSON.stringify(lockfileFor(lock, ORT, root), null, 2));
  if (existsSync(path.join(REPO_ROOT, '.npmrc'))) await copyFile(path.join(REPO_ROOT, '.npmrc'), path.join(dir, '.npmrc'));
  return dir;
}

/** scripts/check-clean-install.mjs on a folder, offline: its exit code and what it printed. */
async function checkCleanInstall(dir: string): Promise<{ code: number; output: string }> {
  const script = path.join(REPO_ROOT, 'scripts/check-clean-install.mjs');
  try {
    const { stdout, stderr } = await run(process.execPath, [script, dir, '--offline'], { env: shellEnv(), maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('installing dependencies', () => {
  it('prints no warning about unknown npm settings in this project', async () => {
    const { stdout, stderr } = await run('npm', ['pkg', 'get', 'name'], { cwd: REPO_ROOT, env: shellEnv() });
    expect(stdout.trim()).toBe('"mirage"');
    expect(stderr).not.toMatch(/Unknown \w+ config/);
  });

  it("never lets onnxruntime-node's install script download CUDA libraries, with npm's own settings only", async () => {
    const result = await checkCleanInstall(await projectLikeThisOne());
    expect(result.output).toContain('no npm config warnings, no downloads by install scripts');
    expect(result.code).toBe(0);
  }, 120_000);

  it('notices a download: without the allowScripts entry the same install fails the check', async () => {
    const dir = await projectLikeThisOne((pkg) => {
      const { [ORT]: _dropped, ...others } = pkg.allowScripts ?? {};
      pkg.allowScripts = others;
    });
    const result = await checkCleanInstall(dir);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/an install script tried to download: CONNECT /);
  }, 120_000);
});
