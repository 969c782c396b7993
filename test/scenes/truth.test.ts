import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../core/adapters/local/local-archive-store.js';
import { sceneAt } from '../../core/scenes/sampler.js';
import { readSceneTruth, SCENES_TRUTH_SIDECAR } from '../../core/scenes/truth.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import { DIM, makeImages, request, tempRoot } from '../adapters/local/archive-fixtures.js';

let store: LocalArchiveStore;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const temp = await tempRoot();
  cleanup = temp.cleanup;
  store = new LocalArchiveStore({ root: temp.root, indexFactory: new UsearchIndexFactory() });
});

afterEach(async () => {
  await cleanup();
});

async function scenesArchive(rows: unknown[], ids: string[]) {
  const writer = await store.create(request('w', { dim: DIM, origin: { kind: 'scenes', seed: 1, size: 100 } }));
  await writer.add(await makeImages(ids));
  await writer.appendSidecar(SCENES_TRUTH_SIDECAR, rows);
  await writer.commit();
  return store.open('w');
}

describe('readSceneTruth', () => {
  it('maps each image the archive holds to its scene, skipping rows of images it no longer holds', async () => {
    const archive = await scenesArchive(
      [
        { id: 'a', scene: sceneAt(1, 0) },
        { id: 'gone', scene: sceneAt(1, 1) },
        { id: 'b', scene: sceneAt(1, 2) },
      ],
      ['a', 'b'],
    );
    const truth = await readSceneTruth(archive);
    expect([...truth.keys()].sort()).toEqual(['a', 'b']);
    expect(truth.get('b')).toEqual(sceneAt(1, 2));
  });

  it('names the malformed row', async () => {
    const bad = { ...sceneAt(1, 0), weather: 'hail' };
    const archive = await scenesArchive([{ id: 'a', scene: sceneAt(1, 0) }, { id: 'b', scene: bad }], ['a', 'b']);
    await expect(readSceneTruth(archive)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/row 1.*weather/) });
  });
});
