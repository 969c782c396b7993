import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../../core/adapters/local/file-blob-store.js';
import { filesUnder, tempRoot } from './archive-fixtures.js';
import { blobStoreContract, encoded } from './store-contracts.js';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
});
afterEach(() => cleanup());

describe('FileBlobStore', () => {
  blobStoreContract(() => new FileBlobStore({ root }));

  it('stores one file with the extension of its mime under a shard folder, and nothing else', async () => {
    const store = new FileBlobStore({ root });
    await store.put('a', await encoded('image/png', 1));
    await store.put('b', await encoded('image/jpeg', 1));
    await store.put('a', await encoded('image/webp', 1));
    const files = (await filesUnder(`${root}/blobs`)).map((f) => f.slice(root.length + '/blobs/'.length));
    expect(files.map((f) => f.replace(/[0-9a-f]{64}/, 'HASH').replace(/^[0-9a-f]{2}\//, 'XX/')).sort()).toEqual(['XX/HASH.jpg', 'XX/HASH.webp']);
    expect(await new FileBlobStore({ root }).get('a')).toMatchObject({ mime: 'image/webp', width: 10, height: 6 });
  });
});
