import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../core/adapters/memory/memory-blob-store.js';
import { isMirageError } from '../../../core/errors.js';
import { blobStoreContract, encoded } from '../local/store-contracts.js';

describe('MemoryBlobStore', () => {
  blobStoreContract(() => new MemoryBlobStore());

  it('evicts the least recently put image beyond maxEntries', async () => {
    const store = new MemoryBlobStore({ maxEntries: 2 });
    const image = await encoded('image/png', 1);
    await store.put('a', image);
    await store.put('b', image);
    await store.put('a', image);
    await store.put('c', image);
    expect(store.size).toBe(2);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxEntries %s', (maxEntries) => {
    let error: unknown;
    try {
      new MemoryBlobStore({ maxEntries });
    } catch (e) {
      error = e;
    }
    expect(isMirageError(error) && error.code).toBe('INVALID_INPUT');
  });
});
