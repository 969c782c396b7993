import { MirageError } from '../../errors.js';
import type { Scene } from '../../scenes/scene.js';
import type { TargetImage } from '../searcher.js';

/**
 * How the scripted user looks at an archive image it was shown (the target it remembers, or a
 * retrieved image shown as feedback): it sees that image's scene. The argument is the shown
 * image itself, as the harness handed it over, so the searcher can only perceive what it was
 * shown; the world's ground truth stays behind this function.
 */
export type ScenePerception = (shown: TargetImage) => Scene;

/** Perception through a Scenes world's ground truth (image id -> scene). */
export function perceptionFromTruth(truth: ReadonlyMap<string, Scene>): ScenePerception {
  return (shown) => {
    const scene = truth.get(shown.id);
    if (!scene) {
      throw new MirageError('UNKNOWN_IMAGE', `The scripted searcher has no ground-truth scene for image "${shown.id}"; it needs the scenes of the archive's world.`);
    }
    return scene;
  };
}
