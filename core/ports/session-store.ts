import type { Session } from '../session/session.js';

export interface SessionStore {
  get(id: string): Promise<Session | undefined>;
  put(session: Session): Promise<void>;
  /** Deleting an absent id does nothing. */
  delete(id: string): Promise<void>;
}
