import { z } from 'zod';
import { MirageError, notSupported } from '../errors.js';
import type { Archive } from '../ports/archive-store.js';
import { sceneSchema, type Scene } from './scene.js';

/**
 * Ground truth of a Scenes world: the scene behind every archive image, kept in a sidecar beside
 * the archive by buildWorld.
 *
 * Only the simulated searcher (which plays a person who remembers the target image) and tests
 * may read it. The engine, the strategies and the embedders never do: they see pixels, captions
 * and ids, exactly as they would in a real photo archive, or the evaluation would be rigged.
 */
export const SCENES_TRUTH_SIDECAR = 'scenes-truth';

export const sceneTruthRowSchema = z.object({ id: z.string(), scene: sceneSchema });
export type SceneTruthRow = z.infer<typeof sceneTruthRowSchema>;

/** Image id -> scene, for the images the archive holds now (rows of removed images are skipped). */
export async function readSceneTruth(archive: Archive): Promise<Map<string, Scene>> {
  const { name, origin } = archive.manifest;
  if (origin.kind !== 'scenes') throw notSupported(`Archive "${name}" is not a Scenes world, so it has no scene ground truth.`);
  const rows = await archive.readSidecar(SCENES_TRUTH_SIDECAR);
  const truth = new Map<string, Scene>();
  rows.forEach((row, i) => {
    const parsed = sceneTruthRowSchema.safeParse(row);
    if (!parsed.success) {
      const problem = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new MirageError('INVALID_INPUT', `Archive "${name}": row ${i} of its scene ground truth is malformed (${problem}).`);
    }
    if (archive.record(parsed.data.id) !== undefined) truth.set(parsed.data.id, parsed.data.scene);
  });
  return truth;
}
