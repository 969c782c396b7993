import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSessionStore } from '../../../core/adapters/local/file-session-store.js';
import { tempRoot } from './archive-fixtures.js';
import { session, sessionStoreContract } from './store-contracts.js';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
});
afterEach(() => cleanup());

describe('FileSessionStore', () => {
  sessionStoreContract(() => new FileSessionStore({ root }));

  it('keeps one JSON file per session under sessions/, readable by a fresh store', async () => {
    await new FileSessionStore({ root }).put(session('s1'));
    expect(await readdir(join(root, 'sessions'))).toEqual(['s1.json']);
    expect(JSON.parse(await readFile(join(root, 'sessions', 's1.json'), 'utf8'))).toEqual(session('s1'));
    expect(await new FileSessionStore({ root }).get('s1')).toEqual(session('s1'));
  });

  it('reports a damaged session file instead of returning garbage', async () => {
    const store = new FileSessionStore({ root });
    await store.put(session('s1'));
    await store.put(session('s2'));
    await writeFile(join(root, 'sessions', 's1.json'), '{"id": "s1", "rou');
    await writeFile(join(root, 'sessions', 's2.json'), JSON.stringify(session('other')));
    await expect(store.get('s1')).rejects.toThrow(/s1\.json is not valid JSON/);
    await expect(store.get('s2')).rejects.toThrow(/does not hold session "s2"/);
  });
});
