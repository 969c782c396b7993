import { deriveSeed } from '../../random/seed.js';
import type { Scene } from '../../scenes/scene.js';
import { perturbScene } from './memory-noise.js';

/**
 * How the scripted user misreads one picture it is shown (a synthetic image's scene report or a
 * retrieved image's scene): every fact is independently perceived as another valid value with
 * probability pMisperceive (an object's kind too: a dog taken for a cat), else seen as it is.
 * A person glancing at a picture misreads it; the scripted user otherwise never does.
 *
 * Deterministic in (episode seed, round, picture), so a replayed episode sees the same things.
 */
export function misperceive(scene: Scene, pMisperceive: number, seed: number, round: number, picture: number): Scene {
  if (pMisperceive === 0) return scene;
  return perturbScene(scene, { pForget: 0, pMisremember: pMisperceive }, deriveSeed(seed, round, picture), 'perception').scene;
}
