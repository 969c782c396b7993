import { attributeValueOf, flattenAttributes, NOT_IN_SCENE } from '../../scenes/scenes-attribute-reader.js';
import { toPartialScene } from '../../scenes/describe.js';
import type { PartialScene, PartialSceneObject, Scene } from '../../scenes/scene.js';
import type { ObjectKind } from '../../scenes/vocabulary.js';
import { isPresenceKey, kindOfKey, presenceKey } from './fact-keys.js';
import { salienceComparator } from './salience.js';

/** A fact the memory holds about what is NOT in the picture: "no" for has.<kind>, "none" for its fields. */
const isAbsence = (key: string, value: string): boolean =>
  isPresenceKey(key) ? value === 'no' : value === NOT_IN_SCENE;

/**
 * The simulated user's mental image of the target: the scene as remembered (misremembered values
 * already in it) and the facts it has forgotten. Forgotten values stay in the scene only so that
 * it remains a valid Scene; nothing outside this class can read them.
 */
export class Memory {
  /** Every object's presence is remembered, so anything else seen is surely not in the picture. */
  readonly knowsAllObjects: boolean;
  /** Everything remembered to be in the picture (presences and attributes), most salient first. */
  readonly facts: readonly string[];
  /** Kinds remembered to be in the picture, most salient first. */
  readonly kinds: readonly ObjectKind[];
  /** Orders fact keys most salient first (see salience.ts). */
  readonly compare: (a: string, b: string) => number;
  /** The memory never changes, and every round asks about the same few dozen keys. */
  private readonly recalled = new Map<string, string | undefined>();

  constructor(
    private readonly scene: Scene,
    private readonly forgotten: ReadonlySet<string>,
  ) {
    this.knowsAllObjects = scene.objects.every((o) => !forgotten.has(presenceKey(o.kind)));
    this.compare = salienceComparator(scene);
    this.facts = Object.keys(flattenAttributes(toPartialScene(scene)))
      .filter((key) => {
        const value = this.recall(key);
        return value !== undefined && !isAbsence(key, value);
      })
      .sort(this.compare);
    this.kinds = this.facts.filter(isPresenceKey).map((key) => kindOfKey(key) as ObjectKind);
  }

  /**
   * What the user would answer about an attribute key (ScenesAttributeReader's keys): the
   * remembered value, "no"/"none" when it is sure the object is not there, undefined for
   * "don't know". Unknown keys are INVALID_INPUT.
   */
  recall(key: string): string | undefined {
    if (!this.recalled.has(key)) this.recalled.set(key, this.recallOnce(key));
    return this.recalled.get(key);
  }

  private recallOnce(key: string): string | undefined {
    const value = attributeValueOf(this.scene, key);
    const kind = kindOfKey(key);
    if (kind === undefined) return this.forgotten.has(key) ? undefined : value;
    const inScene = this.scene.objects.some((o) => o.kind === kind);
    if (!inScene) return this.knowsAllObjects ? value : undefined;
    if (this.forgotten.has(presenceKey(kind)) || this.forgotten.has(key)) return undefined;
    // An attribute the remembered object has no value for (a kind misremembered as another).
    return value === NOT_IN_SCENE ? undefined : value;
  }

  /** The remembered facts about one object, its presence first. */
  factsOf(kind: ObjectKind): string[] {
    return this.facts.filter((key) => kindOfKey(key) === kind);
  }

  /**
   * The partial scene that says exactly the `stated` facts with their remembered values; an
   * object is included when its presence is stated. Stated keys must be ones recall() knows.
   */
  partialScene(stated: ReadonlySet<string>): PartialScene {
    const remembered = toPartialScene(this.scene);
    const says = (key: string) => stated.has(key) && this.recall(key) !== undefined;
    const objects = remembered.objects
      .filter((o) => says(presenceKey(o.kind)))
      .sort((a, b) => this.compare(presenceKey(a.kind), presenceKey(b.kind)))
      .map((o) => statedObject(o, (field) => says(`${o.kind}.${field}`)));
    const absent = [...stated]
      .filter((key) => isPresenceKey(key) && this.recall(key) === 'no')
      .sort(this.compare)
      .map((key) => kindOfKey(key) as ObjectKind);
    const partial: PartialScene = { objects, absent };
    if (says('time')) partial.time = remembered.time;
    if (says('ground')) partial.ground = remembered.ground;
    if (says('weather')) partial.weather = remembered.weather;
    return partial;
  }
}

function statedObject(o: PartialSceneObject, says: (field: string) => boolean): PartialSceneObject {
  const stated: PartialSceneObject = { kind: o.kind, attributes: {} };
  if (says('colour')) stated.colour = o.colour;
  if (says('size')) stated.size = o.size;
  if (says('position')) stated.position = o.position;
  if (says('count')) stated.count = o.count;
  for (const [attribute, value] of Object.entries(o.attributes)) if (says(attribute)) stated.attributes[attribute] = value;
  return stated;
}
