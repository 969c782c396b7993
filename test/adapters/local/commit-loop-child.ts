/**
 * Child process for the kill test: appends to an archive and commits in a loop, printing each
 * committed version, until it is killed. Run as: node --import tsx commit-loop-child.ts <root>.
 */
import { LocalArchiveStore } from '../../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { makeImage } from './archive-fixtures.js';

const root = process.argv[2];
if (root === undefined) throw new Error('usage: commit-loop-child.ts <root>');
const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
const writer = await store.writer('photos');
for (let i = 0; ; i++) {
  await writer.add([await makeImage(`child-${i}-a`), await makeImage(`child-${i}-b`)]);
  if (i > 0) await writer.remove([`child-${i - 1}-a`]);
  await writer.appendSidecar('truth', [{ i }]);
  const manifest = await writer.commit();
  process.stdout.write(`${manifest.version}\n`);
}
