import { describe } from 'vitest';
import { MemorySessionStore } from '../../../core/adapters/memory/memory-session-store.js';
import { sessionStoreContract } from '../local/store-contracts.js';

describe('MemorySessionStore', () => {
  sessionStoreContract(() => new MemorySessionStore());
});
