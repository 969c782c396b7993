import { randomInt } from 'node:crypto';
import { notSupported } from '../core/errors.js';
import type { EvaluationAssigner } from '../core/eval/evaluation-assignment.js';
import { drawTarget } from '../core/eval/evaluation-episode.js';
import { assertNotTextTowerWorld } from '../core/scenes/text-tower/training-seeds.js';
import type { ArchiveBrowser } from './archive-browser.js';

/** A seed no client can guess or choose, so that no client can make the server draw a target it knows. */
export const unguessableSeed = (): number => randomInt(0, 0x1_0000_0000);

/**
 * The server's own assignments: an unguessable seed, and the target it draws exactly as
 * `mirage eval --seed` would. Drawing needs the archive's image list. A world the text tower
 * was trained on is refused, as `mirage eval` refuses it.
 */
export function drawnAssignments(browser: ArchiveBrowser | undefined): EvaluationAssigner {
  return async (archive) => {
    if (!browser) throw notSupported('This server cannot list archive images, so it cannot draw an evaluation target.');
    const images = await browser.images(archive);
    assertNotTextTowerWorld(images.manifest);
    const seed = unguessableSeed();
    return { seed, targetId: drawTarget(images.ids, seed) };
  };
}
