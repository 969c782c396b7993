import { MemoryDocumentStore } from '../../../core/adapters/memory/memory-document-store.js';
import { documentStoreContract } from '../document-store-contract.js';

documentStoreContract('memory', () => new MemoryDocumentStore());
