import { describe, expect, it } from 'vitest';
import type { DocumentStore } from '../../core/ports/document-store.js';

/** What every DocumentStore must do: the file, memory and Redis stores all pass it. */
export function documentStoreContract(label: string, store: () => DocumentStore): void {
  describe(`DocumentStore contract: ${label}`, () => {
    it('keeps what JSON keeps, replaces on put, and deletes', async () => {
      const s = store();
      expect(await s.get('missing')).toBeUndefined();
      await s.put('guild-1', { channels: ['a', 'b'], n: 3, nested: { ok: true } });
      expect(await s.get('guild-1')).toEqual({ channels: ['a', 'b'], n: 3, nested: { ok: true } });
      await s.put('guild-1', { channels: [] });
      expect(await s.get('guild-1')).toEqual({ channels: [] });
      await s.delete('guild-1');
      await s.delete('guild-1');
      expect(await s.get('guild-1')).toBeUndefined();
    });

    it('lists keys by prefix', async () => {
      const s = store();
      for (const key of ['g1.m1', 'g1.m2', 'g2.m1']) await s.put(key, { key });
      expect((await s.keys('g1.')).sort()).toEqual(['g1.m1', 'g1.m2']);
      expect((await s.keys()).sort()).toEqual(['g1.m1', 'g1.m2', 'g2.m1']);
      expect(await s.keys('g3.')).toEqual([]);
    });

    it('refuses keys that could leave the collection, and values JSON cannot keep', async () => {
      const s = store();
      for (const key of ['../etc', 'a/b', '', '.hidden']) await expect(s.put(key, 1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(s.put('cyclic', cyclic)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(s.put('fn', () => 1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });
}
