import { z } from 'zod';
import {
  COLOURS,
  GROUNDS,
  MAX_COUNT,
  MAX_OBJECTS,
  OBJECT_KINDS,
  POSITIONS,
  SIZES,
  TIMES,
  WEATHERS,
} from './vocabulary.js';

export const sceneObjectSchema = z.object({
  kind: z.enum(OBJECT_KINDS),
  colour: z.enum(COLOURS),
  size: z.enum(SIZES),
  position: z.enum(POSITIONS),
  count: z.number().int().min(1).max(MAX_COUNT),
  /** Kind-specific attributes, keys and values from KIND_ATTRIBUTES. */
  attributes: z.record(z.string(), z.string()),
});

export const sceneSchema = z.object({
  time: z.enum(TIMES),
  ground: z.enum(GROUNDS),
  weather: z.enum(WEATHERS),
  objects: z.array(sceneObjectSchema).min(1).max(MAX_OBJECTS),
});

/** A fully specified scene: what an archive image or a synthetic image shows. */
export type Scene = z.infer<typeof sceneSchema>;
export type SceneObject = z.infer<typeof sceneObjectSchema>;

/** What a description says about one object; unspecified fields are left out. */
export interface PartialSceneObject {
  kind: SceneObject['kind'];
  colour?: SceneObject['colour'];
  size?: SceneObject['size'];
  position?: SceneObject['position'];
  count?: number;
  attributes: Record<string, string>;
}

/** What a description says about a scene: the parser's output, the generator's input. */
export interface PartialScene {
  time?: Scene['time'];
  ground?: Scene['ground'];
  weather?: Scene['weather'];
  objects: PartialSceneObject[];
  /** Kinds the description says are absent ("no clouds"). */
  absent: SceneObject['kind'][];
}
