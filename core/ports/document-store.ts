/**
 * JSON documents by key, in one named collection: the state a front end keeps between restarts
 * (a chat bot's indexed channels, its searches). Keys are safe ids (letters, digits, ".", "_",
 * "-"); values are anything JSON keeps, and readers validate what they get back.
 */
export interface DocumentStore {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  /** Deleting an absent key does nothing. */
  delete(key: string): Promise<void>;
  /** The keys that start with `prefix` (all without one), in no particular order. */
  keys(prefix?: string): Promise<string[]>;
}
