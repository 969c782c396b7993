import type { SessionStore } from '../../ports/session-store.js';
import type { Session } from '../../session/session.js';
import { assertSafeId } from '../../fs/safe-names.js';
import { sessionFromJson, sessionToJson } from '../../session/session-json.js';

/**
 * Sessions in memory, for tests and the evaluation runner. Kept as JSON text, so that it deep
 * copies on put and get and keeps exactly what FileSessionStore would.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, string>();

  async get(id: string): Promise<Session | undefined> {
    assertSafeId('Session id', id);
    const text = this.sessions.get(id);
    return text === undefined ? undefined : sessionFromJson(text, id, `Stored session "${id}"`);
  }

  async put(session: Session): Promise<void> {
    this.sessions.set(session.id, sessionToJson(session));
  }

  async delete(id: string): Promise<void> {
    assertSafeId('Session id', id);
    this.sessions.delete(id);
  }
}
