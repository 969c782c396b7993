import { z } from 'zod';

/**
 * USearch only knows 64-bit integer keys, Mirage only string image ids. The id map assigns each
 * added image the next key (never reusing a removed one, so a stale key can never name a
 * different image) and keeps, per row of the vector store, which id and key live there.
 */
export class IdMap {
  private readonly ids: string[];
  private readonly keys: number[];
  private readonly rowById = new Map<string, number>();
  /**
   * Row of each key, indexed by key, -1 where none: keys are handed out densely from 0, and
   * every graph search translates its keys, so an array lookup beats a Map's hashing.
   */
  private rowByKey: Int32Array;
  private nextKey: number;

  private constructor(ids: string[], keys: number[], nextKey: number) {
    this.ids = ids;
    this.keys = keys;
    this.nextKey = nextKey;
    this.rowByKey = new Int32Array(Math.max(nextKey, 1024)).fill(-1);
    ids.forEach((id, row) => this.rowById.set(id, row));
    keys.forEach((key, row) => {
      this.rowByKey[key] = row;
    });
  }

  static empty(): IdMap {
    return new IdMap([], [], 0);
  }

  /** Rebuilds a map from what toJSON produced; throws a description of the first problem. */
  static fromJSON(json: unknown): IdMap {
    const parsed = idMapSchema.parse(json);
    if (parsed.ids.length !== parsed.keys.length) {
      throw new Error(`id map has ${parsed.ids.length} ids but ${parsed.keys.length} keys`);
    }
    if (parsed.keys.some((k) => k >= parsed.nextKey)) throw new Error('id map has a key not below nextKey');
    if (new Set(parsed.keys).size !== parsed.keys.length) throw new Error('id map lists a key twice');
    const map = new IdMap(parsed.ids, parsed.keys, parsed.nextKey);
    if (map.rowById.size !== parsed.ids.length) throw new Error('id map lists an id twice');
    return map;
  }

  toJSON(): IdMapJson {
    return { nextKey: this.nextKey, keys: this.keys, ids: this.ids };
  }

  get size(): number {
    return this.ids.length;
  }

  rowOfId(id: string): number | undefined {
    return this.rowById.get(id);
  }

  rowOfKey(key: number): number | undefined {
    const row = this.rowByKey[key];
    return row === undefined || row < 0 ? undefined : row;
  }

  idAt(row: number): string {
    return this.ids[row] as string;
  }

  keyAt(row: number): number {
    return this.keys[row] as number;
  }

  /** Adds an id (not present) in a new last row and returns its fresh key. */
  append(id: string): number {
    const key = this.nextKey++;
    this.rowById.set(id, this.ids.length);
    if (key >= this.rowByKey.length) this.growKeys(key + 1);
    this.rowByKey[key] = this.keys.length;
    this.ids.push(id);
    this.keys.push(key);
    return key;
  }

  /** Removes a row by moving the last row into its place, as MemoryVectors.swapRemove does. */
  swapRemove(row: number): void {
    const id = this.idAt(row);
    const key = this.keyAt(row);
    const lastId = this.ids.pop() as string;
    const lastKey = this.keys.pop() as number;
    this.rowById.delete(id);
    this.rowByKey[key] = -1;
    if (row === this.ids.length) return;
    this.ids[row] = lastId;
    this.keys[row] = lastKey;
    this.rowById.set(lastId, row);
    this.rowByKey[lastKey] = row;
  }

  private growKeys(atLeast: number): void {
    const grown = new Int32Array(Math.max(atLeast, this.rowByKey.length * 2)).fill(-1);
    grown.set(this.rowByKey);
    this.rowByKey = grown;
  }
}

// Keys index an Int32Array of rows, so they stay below 2^31 (two billion adds, re-adds included).
const key = z.number().int().nonnegative().max(2 ** 31 - 1);

const idMapSchema = z.object({
  nextKey: key,
  keys: z.array(key),
  ids: z.array(z.string().min(1)),
});

export type IdMapJson = z.infer<typeof idMapSchema>;
