import type { Redis } from 'ioredis';
import { assertSafeId } from '../../fs/safe-names.js';
import type { DocumentStore } from '../../ports/document-store.js';
import { documentFromJson, documentToJson } from '../../session/document-json.js';

/**
 * One collection as one Redis hash (field = key, value = JSON), so that every process sharing
 * the Redis sees the same state and the whole collection goes with its key prefix.
 */
export class RedisDocumentStore implements DocumentStore {
  constructor(
    private readonly redis: Redis,
    private readonly hashKey: string,
  ) {}

  async get(key: string): Promise<unknown> {
    assertSafeId('Document key', key);
    const text = await this.redis.hget(this.hashKey, key);
    return text === null ? undefined : documentFromJson(text, `Document "${key}"`);
  }

  async put(key: string, value: unknown): Promise<void> {
    assertSafeId('Document key', key);
    await this.redis.hset(this.hashKey, key, documentToJson(key, value));
  }

  async delete(key: string): Promise<void> {
    assertSafeId('Document key', key);
    await this.redis.hdel(this.hashKey, key);
  }

  async keys(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.hashKey, cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
      cursor = next;
      for (let i = 0; i < entries.length; i += 2) keys.push(entries[i] as string);
    } while (cursor !== '0');
    return [...new Set(keys)];
  }
}

/** Keys are safe ids, but "." and "-" are literal in a glob anyway; only these would not be. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');
