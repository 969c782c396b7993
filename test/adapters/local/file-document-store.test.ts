import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { FileDocumentStore } from '../../../core/adapters/local/file-document-store.js';
import { documentStoreContract } from '../document-store-contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'mirage-documents-'));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

documentStoreContract('files', () => new FileDocumentStore(path.join(root, `collection-${n++}`)));
