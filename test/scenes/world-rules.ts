import { expect } from 'vitest';
import { KIND_PLACEMENT } from '../../core/scenes/priors.js';
import { sceneSchema, type Scene } from '../../core/scenes/scene.js';

/**
 * Checks the rules every sampled archive scene keeps: a valid scene, each kind once, each cell
 * once, sky things in the top row and nothing else there, boats on water and land things on
 * land, no sun at night. (A described scene may break the placement rules on request.)
 */
export function expectWorldRules(scene: Scene): void {
  expect(sceneSchema.safeParse(scene).success).toBe(true);
  const kinds = scene.objects.map((o) => o.kind);
  expect(new Set(kinds).size).toBe(kinds.length);
  const cells = scene.objects.map((o) => o.position);
  expect(new Set(cells).size).toBe(cells.length);
  for (const object of scene.objects) {
    const placement = KIND_PLACEMENT[object.kind];
    const topRow = object.position.startsWith('top');
    expect(topRow, `${object.kind} at ${object.position}`).toBe(placement === 'sky');
    if (placement === 'water') expect(scene.ground).toBe('water');
    if (placement === 'land') expect(scene.ground).not.toBe('water');
  }
  if (scene.time === 'night') expect(kinds).not.toContain('sun');
}
