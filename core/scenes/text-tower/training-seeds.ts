import { invalidInput } from '../../errors.js';
import type { ArchiveManifest } from '../../ports/archive-store.js';

/**
 * World seeds reserved for the learned text tower: `train` makes the training world (its first
 * images fit the tower, the rest choose hash size and lambda), `heldOut` the world its own
 * Recall@K is measured on. No evaluation may run on an archive built with either.
 */
export const TEXT_TOWER_SEEDS = { train: 3_141_592_653, heldOut: 2_718_281_828 } as const;

export function isTextTowerSeed(seed: number): boolean {
  return seed === TEXT_TOWER_SEEDS.train || seed === TEXT_TOWER_SEEDS.heldOut;
}

/** Refuses to evaluate on a Scenes world built from a seed the text tower was trained or selected on. */
export function assertNotTextTowerWorld(manifest: Pick<ArchiveManifest, 'name' | 'origin'>): void {
  const origin = manifest.origin;
  if (origin.kind === 'scenes' && isTextTowerSeed(origin.seed)) {
    throw invalidInput(
      `Archive "${manifest.name}" is a Scenes world built with seed ${origin.seed}, which is reserved for training the text tower; ` +
        'evaluating on it would measure the tower on its own training data. Build the world with another seed.',
    );
  }
}
