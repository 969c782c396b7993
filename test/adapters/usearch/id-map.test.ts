import { describe, expect, it } from 'vitest';
import { IdMap } from '../../../core/adapters/usearch/id-map.js';

const rowsOf = (map: IdMap) => Array.from({ length: map.size }, (_, row) => [map.idAt(row), map.keyAt(row)]);

describe('IdMap', () => {
  it('assigns sequential keys and never reuses a removed one', () => {
    const map = IdMap.empty();
    expect(['a', 'b', 'c'].map((id) => map.append(id))).toEqual([0, 1, 2]);
    map.swapRemove(map.rowOfId('c')!);
    expect(map.append('c')).toBe(3);
    expect(map.append('d')).toBe(4);
  });

  it('moves the last row into a removed row and keeps every lookup right', () => {
    const map = IdMap.empty();
    for (const id of ['a', 'b', 'c', 'd']) map.append(id);
    map.swapRemove(1);
    expect(rowsOf(map)).toEqual([['a', 0], ['d', 3], ['c', 2]]);
    for (const [row, [id, key]] of rowsOf(map).entries()) {
      expect(map.rowOfId(id as string)).toBe(row);
      expect(map.rowOfKey(key as number)).toBe(row);
    }
    expect(map.rowOfId('b')).toBeUndefined();
    expect(map.rowOfKey(1)).toBeUndefined();
    map.swapRemove(2);
    expect(rowsOf(map)).toEqual([['a', 0], ['d', 3]]);
  });

  it('round-trips through JSON, keeping the next key', () => {
    const map = IdMap.empty();
    for (const id of ['a', 'b', 'c']) map.append(id);
    map.swapRemove(2);
    const copy = IdMap.fromJSON(JSON.parse(JSON.stringify(map.toJSON())));
    expect(rowsOf(copy)).toEqual(rowsOf(map));
    expect(copy.append('z')).toBe(3);
  });

  it('rejects inconsistent JSON', () => {
    expect(() => IdMap.fromJSON({ nextKey: 2, keys: [0, 1], ids: ['a', 'a'] })).toThrow(/id twice/);
    expect(() => IdMap.fromJSON({ nextKey: 2, keys: [1, 1], ids: ['a', 'b'] })).toThrow(/key twice/);
    expect(() => IdMap.fromJSON({ nextKey: 1, keys: [0, 1], ids: ['a', 'b'] })).toThrow(/not below nextKey/);
    expect(() => IdMap.fromJSON({ nextKey: 2, keys: [0], ids: ['a', 'b'] })).toThrow(/2 ids but 1 keys/);
    expect(() => IdMap.fromJSON({ nextKey: -1, keys: [], ids: [] })).toThrow();
  });
});
