import type { Scene, SceneObject } from './scene.js';

/**
 * The attributes in which two scenes differ, as "time", "car.colour", "tree.attributes.shape",
 * "+dog" (only in b) or "-dog" (only in a). Objects are matched by kind, which is unique within
 * a scene, so object order does not count as a difference.
 */
export function sceneDifferences(a: Scene, b: Scene): string[] {
  const out: string[] = [];
  for (const field of ['time', 'ground', 'weather'] as const) if (a[field] !== b[field]) out.push(field);
  const inB = new Map(b.objects.map((o) => [o.kind, o]));
  for (const objA of a.objects) {
    const objB = inB.get(objA.kind);
    if (objB === undefined) out.push(`-${objA.kind}`);
    else out.push(...objectDifferences(objA, objB));
  }
  const inA = new Set(a.objects.map((o) => o.kind));
  for (const objB of b.objects) if (!inA.has(objB.kind)) out.push(`+${objB.kind}`);
  return out;
}

function objectDifferences(a: SceneObject, b: SceneObject): string[] {
  const out: string[] = [];
  for (const field of ['colour', 'size', 'position', 'count'] as const) {
    if (a[field] !== b[field]) out.push(`${a.kind}.${field}`);
  }
  const names = new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)]);
  for (const name of names) {
    if (a.attributes[name] !== b.attributes[name]) out.push(`${a.kind}.attributes.${name}`);
  }
  return out;
}
