import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAX_WORLD_SIZE, MIN_WORLD_SIZE } from '../../core/scenes/world-builder.js';
import { STRATEGY_NAMES } from '../../core/session/session.js';
import { mirage } from './harness.js';

/** Usage errors must be caught before anything is opened: this runtime fails the test if built. */
const noRuntime = async (): Promise<never> => {
  throw new Error('the runtime must not be built for help or usage errors');
};
const run = (args: readonly string[]) => mirage(args, { createRuntime: noRuntime });

describe('mirage usage', () => {
  it('lists the commands and the global --data-dir option', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of ['world', 'archives', 'search', 'select']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    expect(stdout).toContain('--data-dir <dir>');
    expect(stdout).toContain('MIRAGE_DATA_DIR');
  });

  it('gives every command its own help', async () => {
    const search = await run(['search', '--help']);
    expect(search.code).toBe(0);
    for (const flag of ['--archive', '--strategy', '--k', '--session', '--closer-to', '--not', '--out', '--json']) {
      expect(search.stdout).toContain(flag);
    }
    const create = await run(['world', 'create', '--help']);
    expect(create.code).toBe(0);
    for (const flag of ['--name', '--size', '--seed', '--quantization', '--overwrite']) expect(create.stdout).toContain(flag);
  });

  it.each([
    [['search', '--archive', 'a', '--k', 'ten', 'red car'], /'--k <n>' argument 'ten' is invalid.*--k must be a whole number from 1 to 100/],
    [['search', '--archive', 'a', '--k', '0', 'red car'], /--k must be a whole number from 1 to 100/],
    [['search', '--archive', 'a', '--k', '2.5', 'red car'], /--k must be a whole number/],
    [['search', '--archive', 'a', '--strategy', 'magic', 'red car'], new RegExp(`Allowed choices are ${STRATEGY_NAMES.join(', ')}`)],
    [['search', '--archive', 'a'], /missing required argument 'description'/],
    [['world', 'create', '--size', '150'], /required option '--name <name>' not specified/],
    [['world', 'create', '--name', 'w', '--size', '-5'], new RegExp(`--size must be a whole number from ${MIN_WORLD_SIZE} to ${MAX_WORLD_SIZE}`)],
    [['world', 'create', '--name', 'w', '--size', '100', '--quantization', 'f8'], /Allowed choices are f32, f16, i8/],
    [['search', '--bogus', 'x'], /unknown option '--bogus'/],
    [['serch'], /unknown command 'serch'.*Did you mean search\?/s],
  ])('rejects %j with exit code 2 and a clear error', async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: /);
    expect(stderr).toMatch(message);
  });

  it('runs as an executable: the entry point maps a usage error to exit code 2 and one line', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const failure = await promisify(execFile)(tsx, [path.join(root, 'cli', 'main.ts'), 'search', '--k', 'x', 'y'], {
      cwd: root,
    }).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect(failure?.stderr).toMatch(/^error: option '--k <n>' argument 'x' is invalid[^\n]*\n$/);
  });
});
