import type { Prng } from '../../random/prng.js';
import { describePartialScene, toPartialScene } from '../describe.js';
import type { PartialScene, PartialSceneObject, Scene } from '../scene.js';
import { LEXICON } from '../synonyms.js';
import { OBJECT_KINDS } from '../vocabulary.js';

/**
 * Partial descriptions of a scene as a person might word them, for training the text tower:
 * a random subset of the scene's facts (some objects, some of their fields, maybe time, ground,
 * weather, maybe an object that is not there), said by describe.ts, the wording the scripted
 * searcher uses, and then varied: words swapped for others that mean the same in the Scenes
 * lexicon, the clauses after the objects reordered, articles and punctuation sometimes dropped.
 * The lexicon only supplies synonyms here; the tower's features never see it.
 */
export interface PersonWording {
  /** Chance that an object in the scene is mentioned (at least one always is). */
  readonly pObject: number;
  /** Chance that each field of a mentioned object (colour, size, position, count, kind attributes) is said. */
  readonly pField: number;
  /** Chance that time, ground and weather are each said. */
  readonly pSetting: number;
  /** Chance of saying one kind that is absent. */
  readonly pAbsent: number;
  /** Chance that a word or phrase with synonyms is swapped for one. */
  readonly pSynonym: number;
  /** Chance that an article is left out. */
  readonly pDropArticle: number;
}

export const DEFAULT_PERSON_WORDING: PersonWording = {
  pObject: 0.7,
  pField: 0.4,
  pSetting: 0.35,
  pAbsent: 0.1,
  pSynonym: 0.3,
  pDropArticle: 0.15,
};

const FUNCTION_WORDS: ReadonlySet<string> = new Set(['preposition', 'conjunction', 'copula', 'alternative', 'relation', 'positionFiller', 'determiner']);

/** Phrases of the lexicon grouped by meaning: each phrase's alternatives, itself included. */
const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
  const groups = new Map<string, string[]>();
  for (const [phrase, meaning] of LEXICON) {
    // Function words are not swapped: "under grass" for "on grass" is not how a person says it.
    if (FUNCTION_WORDS.has(meaning.type)) continue;
    const key = JSON.stringify(meaning);
    groups.set(key, [...(groups.get(key) ?? []), phrase]);
  }
  const byPhrase = new Map<string, readonly string[]>();
  for (const group of groups.values()) if (group.length > 1) for (const phrase of group) byPhrase.set(phrase, group);
  return byPhrase;
})();
const LONGEST = Math.max(...[...SYNONYMS.keys()].map((p) => p.split(' ').length));
const ARTICLES = new Set(['a', 'an', 'the']);

export function personDescription(scene: Scene, rng: Prng, wording: PersonWording = DEFAULT_PERSON_WORDING): string {
  return reword(describePartialScene(pickFacts(scene, rng, wording)), rng, wording);
}

function pickFacts(scene: Scene, rng: Prng, wording: PersonWording): PartialScene {
  const full = toPartialScene(scene);
  let objects = full.objects.filter(() => rng.chance(wording.pObject));
  if (objects.length === 0) objects = [rng.pick(full.objects)];
  const partial: PartialScene = {
    objects: rng.shuffle(objects.map((o) => pickFields(o, rng, wording.pField))),
    absent: [],
  };
  if (rng.chance(wording.pSetting)) partial.time = full.time;
  if (rng.chance(wording.pSetting)) partial.ground = full.ground;
  if (rng.chance(wording.pSetting)) partial.weather = full.weather;
  if (rng.chance(wording.pAbsent)) {
    const missing = OBJECT_KINDS.filter((kind) => !scene.objects.some((o) => o.kind === kind));
    if (missing.length > 0) partial.absent.push(rng.pick(missing));
  }
  return partial;
}

function pickFields(o: PartialSceneObject, rng: Prng, p: number): PartialSceneObject {
  const picked: PartialSceneObject = { kind: o.kind, attributes: {} };
  if (rng.chance(p)) picked.colour = o.colour!;
  if (rng.chance(p)) picked.size = o.size!;
  if (rng.chance(p)) picked.position = o.position!;
  if (rng.chance(p)) picked.count = o.count!;
  for (const [attribute, value] of Object.entries(o.attributes)) if (rng.chance(p)) picked.attributes[attribute] = value;
  return picked;
}

/** Synonyms (longest phrase first), reordered trailing clauses, dropped articles and punctuation. */
function reword(sentence: string, rng: Prng, wording: PersonWording): string {
  const clauses = sentence.replace(/\.$/, '').split(', ');
  const [head, ...tail] = clauses;
  const reordered = [head!, ...rng.shuffle(tail)].map((clause) => rewordClause(clause.toLowerCase(), rng, wording));
  const text = reordered.join(rng.chance(0.5) ? ', ' : ' ');
  return rng.chance(0.5) ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : text;
}

function rewordClause(clause: string, rng: Prng, wording: PersonWording): string {
  const words = clause.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    let taken = 1;
    let phrase = words[i]!;
    for (let len = Math.min(LONGEST, words.length - i); len >= 1; len--) {
      const candidate = words.slice(i, i + len).join(' ');
      if (SYNONYMS.has(candidate)) {
        taken = len;
        phrase = candidate;
        break;
      }
    }
    const alternatives = SYNONYMS.get(phrase);
    if (ARTICLES.has(phrase) && rng.chance(wording.pDropArticle)) phrase = '';
    else if (alternatives && rng.chance(wording.pSynonym)) phrase = rng.pick(alternatives);
    if (phrase !== '') out.push(phrase);
    i += taken;
  }
  return out.join(' ');
}
