/**
 * Child process for save-kill.test.ts: builds a large index quickly (few, long vectors of
 * uniform noise in a sparse graph), says "saving", and saves it into the folder given as
 * argv[2]. The test kills it mid-save.
 */
import { rowsOf } from '../../../bench/clustered-vectors.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { Prng } from '../../../core/random/prng.js';

const [dir, countText, dimText] = process.argv.slice(2);
if (dir === undefined || countText === undefined || dimText === undefined) {
  throw new Error('usage: save-child.ts <dir> <count> <dim>');
}
const count = Number(countText);
const dim = Number(dimText);
const prng = new Prng(1);
const data = new Float32Array(count * dim);
for (let i = 0; i < data.length; i++) data[i] = prng.next() - 0.5;
const vectors = rowsOf(data, dim);
const index = new UsearchIndexFactory({ connectivity: 2, expansionAdd: 2 }).create(dim, 'f32');
index.add(
  vectors.map((_, i) => `big-${i}`),
  vectors,
);
process.stdout.write('saving\n');
await index.save(dir);
process.stdout.write('saved\n');
