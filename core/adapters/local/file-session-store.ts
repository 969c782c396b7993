import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionStore } from '../../ports/session-store.js';
import type { Session } from '../../session/session.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { unlessMissing } from './fs-errors.js';
import { DEFAULT_DATA_ROOT } from './data-root.js';
import { assertSafeId } from '../../fs/safe-names.js';
import { sessionFromJson, sessionToJson } from '../../session/session-json.js';

/**
 * Sessions as <root>/sessions/<id>.json, each replaced atomically on put, so a crash leaves the
 * previous round's state, never a torn file. Every get parses afresh: callers never share objects.
 */
export class FileSessionStore implements SessionStore {
  private readonly dir: string;

  constructor(options: { readonly root?: string } = {}) {
    this.dir = join(options.root ?? DEFAULT_DATA_ROOT, 'sessions');
  }

  async get(id: string): Promise<Session | undefined> {
    assertSafeId('Session id', id);
    const path = this.path(id);
    const text = await unlessMissing(readFile(path, 'utf8'));
    return text === undefined ? undefined : sessionFromJson(text, id, path);
  }

  async put(session: Session): Promise<void> {
    const text = sessionToJson(session);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.path(session.id), text);
  }

  async delete(id: string): Promise<void> {
    assertSafeId('Session id', id);
    await rm(this.path(id), { force: true });
  }

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}
