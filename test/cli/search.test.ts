import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Round } from '../../core/session/session.js';
import { mirage } from './harness.js';

interface SearchJson {
  readonly session: { readonly id: string; readonly archive: string; readonly strategy: string; readonly rounds: number };
  readonly round: Round;
  readonly files: { readonly dir: string; readonly contactSheet?: string; readonly synthetic: readonly string[] };
}

let root: string;
let dataDir: string;
const ARCHIVE = 'tiny';
const WORLD_SIZE = 200;

/** Runs with an explicit data dir and the temp folder as working directory. */
const cli = (...args: string[]) => mirage(['--data-dir', dataDir, ...args], { cwd: root });

async function searchJson(...args: string[]): Promise<SearchJson> {
  const result = await cli('search', '--json', ...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as SearchJson;
}

async function pngSize(file: string) {
  const meta = await sharp(file).metadata();
  return { format: meta.format, width: meta.width, height: meta.height };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-cli-'));
  dataDir = path.join(root, 'data');
  const created = await cli('world', 'create', '--name', ARCHIVE, '--size', String(WORLD_SIZE), '--seed', '1');
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  expect(created.stdout).toContain(`Archive "${ARCHIVE}"`);
  expect(created.stdout).toMatch(new RegExp(`images:\\s+${WORLD_SIZE}\\b`));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mirage world create / archives', () => {
  it('lists the world it built', async () => {
    const { code, stdout } = await cli('archives');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${ARCHIVE}\\s+${WORLD_SIZE}\\s+scenes\\b`, 'm'));
    // The data dir also comes from MIRAGE_DATA_DIR, and relative paths resolve against the cwd.
    const fromEnv = await mirage(['archives'], { cwd: root, env: { MIRAGE_DATA_DIR: 'data' } });
    expect(fromEnv.stdout).toBe(stdout);
    const elsewhere = await mirage(['--data-dir', 'elsewhere', 'archives'], { cwd: root, env: { MIRAGE_DATA_DIR: 'data' } });
    expect(elsewhere.stdout.trim()).toBe('(no archives)');
    const json = await cli('archives', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject([{ name: ARCHIVE, count: WORLD_SIZE, origin: { kind: 'scenes', seed: 1 } }]);
  });

  it('refuses to replace an archive unless --overwrite is given', async () => {
    const again = await cli('world', 'create', '--name', ARCHIVE, '--size', '100', '--seed', '2');
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^error: .*"tiny".*--overwrite/);
    const other = await cli('world', 'create', '--name', 'other', '--size', '100', '--seed', '2');
    expect(other.code).toBe(0);
    const quantized = await cli('world', 'create', '--name', 'other', '--size', '120', '--quantization', 'i8', '--overwrite', '--json');
    expect(quantized.code).toBe(0);
    expect(JSON.parse(quantized.stdout)).toMatchObject({ name: 'other', count: 120, quantization: 'i8', embedder: 'scenes' });
  });
});

describe('mirage search / select', () => {
  it('runs a generative round: prints hits and session, writes the synthetic image and the contact sheet', async () => {
    const out = path.join(root, 'round-one');
    const { code, stdout, stderr } = await cli('search', '--archive', ARCHIVE, '--seed', '7', '--out', out, 'a red car under a tree at night');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const sessionId = /^Session (\S+) \| archive tiny \| strategy generative \| round 1$/m.exec(stdout)?.[1];
    expect(sessionId).toBeDefined();
    expect(stdout).toMatch(/synthetic image\): round-one\/synthetic-1\.png/);
    expect(stdout).toContain('Contact sheet: round-one/contact-sheet.png');
    // Ten hits, numbered as on the sheet.
    for (let n = 1; n <= 10; n++) expect(stdout).toMatch(new RegExp(`^\\s*#${n}\\s+-?\\d\\.\\d{3}\\s+\\S+`, 'm'));
    expect(stdout).not.toMatch(/^\s*#11\s/m);
    expect(stdout).toContain(`search --session ${sessionId} "refined description"`);
    expect(stdout).toContain(`select --session ${sessionId} --result`);

    expect((await readdir(out)).sort()).toEqual(['contact-sheet.png', 'synthetic-1.png']);
    const sheet = await pngSize(path.join(out, 'contact-sheet.png'));
    const synthetic = await pngSize(path.join(out, 'synthetic-1.png'));
    expect(sheet.format).toBe('png');
    expect(synthetic.format).toBe('png');
    // Ten thumbnails in two rows of five are wider than tall and bigger than one thumbnail.
    expect(sheet.width).toBeGreaterThan(sheet.height ?? 0);
    expect(sheet.width).toBeGreaterThan(5 * 100);
  });

  it('continues a session: hit numbers become feedback, rejected hits disappear, files go to round-2', async () => {
    const first = await searchJson('--archive', ARCHIVE, '--seed', '3', 'a blue house by a lake');
    const id = first.session.id;
    expect(first.round.index).toBe(0);
    expect(first.files.dir).toBe(path.join(root, 'out', id, 'round-1'));
    expect(first.files.synthetic).toHaveLength(1);

    const [h1, h2, h3] = first.round.hits;
    const second = await searchJson('--session', id, '--closer-to', '1,3', '--not', '2', 'a blue house by a lake at dusk');
    expect(second.session).toMatchObject({ id, archive: ARCHIVE, strategy: 'generative', rounds: 2 });
    expect(second.round.index).toBe(1);
    expect(second.round.closerTo).toEqual([h1?.id, h3?.id]);
    expect(second.round.notThese).toEqual([h2?.id]);
    expect(second.round.hits.map((h) => h.id)).not.toContain(h2?.id);
    expect(second.files.dir).toBe(path.join(root, 'out', id, 'round-2'));
    expect((await readdir(second.files.dir)).sort()).toEqual(['contact-sheet.png', 'synthetic-1.png']);

    const chosen = second.round.hits[2];
    const selected = await cli('select', '--session', id, '--result', '3');
    expect(selected.code).toBe(0);
    expect(selected.stdout).toContain(`Recorded: ${chosen?.id} (hit #3 of round 2)`);
    expect(selected.stdout).toMatch(/is found after 2 rounds/);

    const ended = await cli('search', '--session', id, 'anything');
    expect(ended.code).toBe(2);
    expect(ended.stderr).toMatch(/^error: .*has ended/);
  });

  it('takes archive and strategy from the session and rejects contradicting flags', async () => {
    const first = await searchJson('--archive', ARCHIVE, '--strategy', 'text', 'a dog on a beach');
    expect(first.session.strategy).toBe('text');
    expect(first.files.synthetic).toEqual([]);
    const conflict = await cli('search', '--session', first.session.id, '--strategy', 'verbal', 'a dog');
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/^error: The strategy of session "[^"]+" is text; it cannot change to verbal/);
    const same = await searchJson('--session', first.session.id, '--archive', ARCHIVE, 'a dog on a sunny beach');
    expect(same.session).toMatchObject({ strategy: 'text', rounds: 2 });
  });

  it.each([
    [['search', '--archive', 'nope', 'a red car'], /^error: Unknown archive "nope"/],
    [['search', '--session', 'no-such-session', 'a red car'], /^error: Unknown session "no-such-session"/],
    [['search', '--archive', ARCHIVE, ''], /^error: .*description is empty/],
    [['search', '--archive', ARCHIVE, '   '], /^error: .*description is empty/],
    [['search', 'a red car'], /^error: An archive is needed/],
    [['search', '--archive', ARCHIVE, '--closer-to', '1', 'a red car'], /^error: Feedback on hits .* needs a session/],
    [['select', '--session', 'no-such-session', '--result', '1'], /^error: Unknown session/],
  ])('fails %j with exit code 2 and one line', async (args, message) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('rejects hit numbers the previous round did not show', async () => {
    const first = await searchJson('--archive', ARCHIVE, '--k', '4', 'a green tree');
    expect(first.round.hits).toHaveLength(4);
    const { code, stderr } = await cli('search', '--session', first.session.id, '--not', '5', 'a green tree');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: There is no hit #5: round 1 .* showed 4 hits/);
  });
});
