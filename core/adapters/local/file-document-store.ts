import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { assertSafeId } from '../../fs/safe-names.js';
import type { DocumentStore } from '../../ports/document-store.js';
import { documentFromJson, documentToJson } from '../../session/document-json.js';
import { unlessMissing } from './fs-errors.js';

const SUFFIX = '.json';

/** Documents as <dir>/<key>.json, each replaced atomically, so a crash leaves the previous one. */
export class FileDocumentStore implements DocumentStore {
  constructor(private readonly dir: string) {}

  async get(key: string): Promise<unknown> {
    const path = this.path(key);
    const text = await unlessMissing(readFile(path, 'utf8'));
    return text === undefined ? undefined : documentFromJson(text, path);
  }

  async put(key: string, value: unknown): Promise<void> {
    const text = documentToJson(key, value);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.path(key), text);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async keys(prefix = ''): Promise<string[]> {
    const names = (await unlessMissing(readdir(this.dir))) ?? [];
    return names.filter((n) => n.endsWith(SUFFIX) && n.startsWith(prefix)).map((n) => n.slice(0, -SUFFIX.length));
  }

  private path(key: string): string {
    assertSafeId('Document key', key);
    return join(this.dir, `${key}${SUFFIX}`);
  }
}
