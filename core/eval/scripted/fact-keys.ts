/**
 * The scripted searcher thinks in facts named by ScenesAttributeReader's keys ("time",
 * "has.dog", "car.colour", "house.roof"), so a verbal question, a remembered fact and a
 * stated fact all share one name.
 */
import { OBJECT_KINDS, type ObjectKind } from '../../scenes/vocabulary.js';

export const presenceKey = (kind: ObjectKind): string => `has.${kind}`;

export const isPresenceKey = (key: string): boolean => key.startsWith('has.');

/** The object kind a key is about; undefined for time, ground and weather (and unknown kinds). */
export function kindOfKey(key: string): ObjectKind | undefined {
  const word = isPresenceKey(key) ? key.slice('has.'.length) : key.slice(0, Math.max(0, key.indexOf('.')));
  return (OBJECT_KINDS as readonly string[]).includes(word) ? (word as ObjectKind) : undefined;
}

/** The part of an object key after the kind ("colour", "roof"); undefined for others. */
export function fieldOfKey(key: string): string | undefined {
  if (isPresenceKey(key) || kindOfKey(key) === undefined) return undefined;
  return key.slice(key.indexOf('.') + 1);
}
