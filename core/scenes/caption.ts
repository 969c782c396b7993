import { describePartialScene, toPartialScene } from './describe.js';
import type { Scene } from './scene.js';

/** The alt-text-like caption stored with an archive image: one sentence saying all it shows. */
export function captionOf(scene: Scene): string {
  return describePartialScene(toPartialScene(scene));
}
