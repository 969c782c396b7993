import { assertSafeId } from '../../fs/safe-names.js';
import type { DocumentStore } from '../../ports/document-store.js';
import { documentFromJson, documentToJson } from '../../session/document-json.js';

/** Documents in memory, kept as JSON text so that they copy as the file and Redis stores do. */
export class MemoryDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, string>();

  async get(key: string): Promise<unknown> {
    assertSafeId('Document key', key);
    const text = this.documents.get(key);
    return text === undefined ? undefined : documentFromJson(text, `Document "${key}"`);
  }

  async put(key: string, value: unknown): Promise<void> {
    assertSafeId('Document key', key);
    this.documents.set(key, documentToJson(key, value));
  }

  async delete(key: string): Promise<void> {
    assertSafeId('Document key', key);
    this.documents.delete(key);
  }

  async keys(prefix = ''): Promise<string[]> {
    return [...this.documents.keys()].filter((key) => key.startsWith(prefix));
  }
}
