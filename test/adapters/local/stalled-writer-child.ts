/**
 * Child process for the stalled-writer test: adds images to "photos", says "added", then waits
 * for a line on stdin before committing, and prints "committed <version>" or "failed <message>".
 * Run as: node --import tsx stalled-writer-child.ts <root> <lock ttl ms>.
 */
import { createInterface } from 'node:readline';
import { LocalArchiveStore } from '../../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { makeImages } from './archive-fixtures.js';

const [root, ttl] = process.argv.slice(2);
if (root === undefined || ttl === undefined) throw new Error('usage: stalled-writer-child.ts <root> <lock ttl ms>');
const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory(), writerLockTtlMs: Number(ttl) });
const writer = await store.writer('photos');
await writer.add(await makeImages(['from-stalled-writer']));
process.stdout.write('added\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
try {
  const manifest = await writer.commit();
  process.stdout.write(`committed ${manifest.version}\n`);
} catch (e) {
  process.stdout.write(`failed ${(e as Error).message}\n`);
}
lines.close();
