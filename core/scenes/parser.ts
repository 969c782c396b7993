/**
 * Reads a free-text description of a Scenes picture into a PartialScene. A deterministic,
 * single-pass reader over the lexicon in synonyms.ts: words it does not know are skipped, so any
 * input yields a (possibly empty) PartialScene and never an error.
 *
 * Binding rules, in short:
 * - adjectives, counts and articles wait for the next object noun ("two small white dogs");
 * - features ("with a pointed roof", "wearing a hat") go to the object of their kind already
 *   named, else wait for the next noun of that kind;
 * - a position phrase goes to the object just named in the same clause ("a car on the left"),
 *   or, when it opens a clause ("on the left, a red car"), to the next object;
 * - "no"/"not"/"without" before an object noun makes that kind absent, before a feature flips a
 *   two-valued attribute ("without a hat"), and cancels a time, ground, weather or position;
 * - one object per kind: later mentions of a kind update it, and "a man and a woman" adds up.
 */
import type { PartialScene, PartialSceneObject } from './scene.js';
import { LEXICON, LONGEST_PHRASE, type AttributeChoice, type Meaning } from './synonyms.js';
import {
  KIND_ATTRIBUTES,
  MAX_COUNT,
  type Colour,
  type Ground,
  type ObjectKind,
  type Position,
  type Size,
  type TimeOfDay,
  type Weather,
} from './vocabulary.js';

type Token = { readonly type: 'word'; readonly text: string } | { readonly type: 'comma' | 'stop' };

type Step =
  | { readonly type: 'meaning'; readonly meaning: Meaning }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'comma' | 'stop' };

/** Numbers longer than this are surely above MAX_COUNT; keeps parseInt away from huge digit runs. */
const MAX_NUMBER_DIGITS = 4;

function tokenize(text: string): Token[] {
  const normalised = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['\u2018\u2019`]/g, '');
  const tokens: Token[] = [];
  for (const [piece] of normalised.matchAll(/[a-z0-9]+|[.;!?\n]|[,:()]/g)) {
    if (/[a-z0-9]/.test(piece)) tokens.push({ type: 'word', text: piece });
    else tokens.push({ type: /[,:()]/.test(piece) ? 'comma' : 'stop' });
  }
  return tokens;
}

/** Longest-match segmentation into lexicon meanings; unknown words are dropped. */
function* segment(tokens: readonly Token[]): Generator<Step> {
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    if (token.type !== 'word') {
      yield { type: token.type };
      i++;
      continue;
    }
    let phrase = '';
    let match: { meaning: Meaning; length: number } | undefined;
    for (let n = 0; n < LONGEST_PHRASE && i + n < tokens.length; n++) {
      const next = tokens[i + n] as Token;
      if (next.type !== 'word') break;
      phrase = n === 0 ? next.text : `${phrase} ${next.text}`;
      const meaning = LEXICON.get(phrase);
      if (meaning) match = { meaning, length: n + 1 };
    }
    if (match) {
      yield { type: 'meaning', meaning: match.meaning };
      i += match.length;
      continue;
    }
    if (/^[0-9]+$/.test(token.text)) {
      const value = token.text.length > MAX_NUMBER_DIGITS ? MAX_COUNT : Number.parseInt(token.text, 10);
      yield { type: 'number', value };
    }
    i++;
  }
}

/** The other value of a two-valued attribute: what "without a hat" or "not spotted" means. */
function oppositeValue(choice: AttributeChoice): string | undefined {
  const values = KIND_ATTRIBUTES[choice.kind][choice.attribute];
  if (!values || values.length !== 2) return undefined;
  return values.find((v) => v !== choice.value);
}

interface Modifiers {
  count?: number;
  /** The count came from "a"/"an", which says nothing about a plural noun. */
  countFromArticle: boolean;
  definite: boolean;
  colour?: Colour;
  size?: Size;
  choices: (readonly AttributeChoice[])[];
}

const noModifiers = (): Modifiers => ({ countFromArticle: false, definite: false, choices: [] });

interface PositionRun {
  vertical?: 'top' | 'bottom';
  horizontal?: 'left' | 'right';
}

function positionOf(run: PositionRun): Position {
  if (run.vertical && run.horizontal) return `${run.vertical}-${run.horizontal}`;
  return run.vertical ?? run.horizontal ?? 'center';
}

class DescriptionReader {
  private readonly objects = new Map<ObjectKind, PartialSceneObject>();
  private readonly absent = new Set<ObjectKind>();
  private time?: TimeOfDay;
  private ground?: Ground;
  private weather?: Weather;

  private modifiers = noModifiers();
  private negated = false;
  /** The last object noun was negated, so "or"/"nor" negate the next one too. */
  private negatedList = false;
  /** Object named last in this clause; null when it was negated (its position means nothing). */
  private clauseObject: ObjectKind | null | undefined;
  private sentenceObject: ObjectKind | undefined;
  /** "The car is red": adjectives now describe this object. */
  private predicateObject: ObjectKind | undefined;
  /** A position that opened a clause, waiting for the object it introduces. */
  private frontedPosition: Position | undefined;
  /** Nothing but function words since the start, a comma or a conjunction. */
  private afterBreak = true;
  private run: PositionRun | undefined;

  read(step: Step): void {
    if (step.type === 'meaning' && step.meaning.type === 'position') {
      this.run = { ...this.run };
      if (step.meaning.vertical) this.run.vertical = step.meaning.vertical;
      if (step.meaning.horizontal) this.run.horizontal = step.meaning.horizontal;
      return;
    }
    if (step.type === 'meaning' && step.meaning.type === 'positionFiller') return;
    this.commitPosition();
    switch (step.type) {
      case 'comma':
        return this.endClause();
      case 'stop':
        return this.endSentence();
      case 'number':
        return this.count(step.value);
      case 'meaning':
        return this.meaning(step.meaning);
    }
  }

  finish(): PartialScene {
    this.commitPosition();
    this.endSentence();
    const scene: PartialScene = {
      objects: [...this.objects.values()].map((o) => ({ ...o, attributes: { ...o.attributes } })),
      absent: [...this.absent],
    };
    if (this.time) scene.time = this.time;
    if (this.ground) scene.ground = this.ground;
    if (this.weather) scene.weather = this.weather;
    return scene;
  }

  private meaning(m: Meaning): void {
    switch (m.type) {
      case 'object':
        return this.object(m);
      case 'attribute':
        return this.attribute(m.choices, m.binds);
      case 'colour':
        return this.colour(m.colour, m.after);
      case 'size':
        return this.size(m.size);
      case 'count':
        return this.count(m.count);
      case 'determiner':
        this.predicateObject = undefined;
        if (m.one && this.modifiers.count === undefined) {
          this.modifiers.count = 1;
          this.modifiers.countFromArticle = true;
        }
        if (m.definite) this.modifiers.definite = true;
        return;
      case 'negation':
        this.negated = true;
        return;
      case 'alternative':
        if (this.negatedList) this.negated = true;
        return;
      case 'conjunction':
        this.afterBreak = true;
        this.negated = false;
        this.negatedList = false;
        return;
      case 'copula':
        if (this.clauseObject) this.predicateObject = this.clauseObject;
        this.afterBreak = false;
        return;
      case 'preposition':
      case 'relation':
        this.predicateObject = undefined;
        return;
      case 'time':
      case 'ground':
      case 'weather':
        return this.setting(m);
      case 'position':
      case 'positionFiller':
        return; // handled in read()
    }
  }

  private object(m: Extract<Meaning, { type: 'object' }>): void {
    this.predicateObject = undefined;
    this.afterBreak = false;
    if (this.negated || m.absent || this.modifiers.count === 0) {
      this.objects.delete(m.kind);
      this.absent.delete(m.kind);
      this.absent.add(m.kind);
      this.negated = false;
      this.negatedList = true;
      this.modifiers = noModifiers();
      this.clauseObject = null;
      return;
    }
    this.negatedList = false;
    this.absent.delete(m.kind);
    const existing = this.objects.get(m.kind);
    const object: PartialSceneObject = existing ?? { kind: m.kind, attributes: {} };
    if (!existing) this.objects.set(m.kind, object);

    const mods = this.modifiers;
    let count = mods.countFromArticle && m.plural ? undefined : mods.count;
    count ??= m.count;
    if (count !== undefined) {
      // An indefinite second mention adds ("a man and a woman"); a definite one restates.
      const total = object.count !== undefined && !mods.definite ? object.count + count : count;
      object.count = Math.min(MAX_COUNT, total);
    }
    if (mods.colour) object.colour = mods.colour;
    if (mods.size) object.size = mods.size;
    for (const choices of mods.choices) {
      const own = choices.find((c) => c.kind === m.kind);
      if (own) object.attributes[own.attribute] = own.value;
      else this.bindToNamed(choices, false);
    }
    Object.assign(object.attributes, m.attributes);
    if (this.frontedPosition) {
      object.position = this.frontedPosition;
      this.frontedPosition = undefined;
    }
    this.clauseObject = m.kind;
    this.sentenceObject = m.kind;
    this.modifiers = noModifiers();
  }

  private attribute(choices: readonly AttributeChoice[], binds: 'next' | 'previous'): void {
    this.afterBreak = false;
    if (this.predicateObject) {
      const kind = this.predicateObject;
      const own = choices.find((c) => c.kind === kind);
      if (own) {
        this.bindToNamed([own], this.negated);
        this.negated = false;
        return;
      }
    }
    if (binds === 'previous' && this.bindToNamed(choices, this.negated)) {
      // The article and adjectives before a feature noun were about the feature ("a pointed roof").
      this.negated = false;
      this.settleModifiers();
      return;
    }
    if (binds === 'previous' && this.negated) {
      // No object of that kind yet: settle the negation now, so "without a hat, a man" means no hat.
      const flipped = choices.flatMap((c) => {
        const value = oppositeValue(c);
        return value === undefined ? [] : [{ ...c, value }];
      });
      this.negated = false;
      this.modifiers.choices.push(flipped);
      return;
    }
    this.modifiers.choices.push(choices);
  }

  /**
   * Gives an attribute to an object already named, preferring the one in this clause.
   * Returns whether some object took it.
   */
  private bindToNamed(choices: readonly AttributeChoice[], negated: boolean): boolean {
    const ordered = [...choices].sort(
      (a, b) => Number(b.kind === this.clauseObject) - Number(a.kind === this.clauseObject),
    );
    for (const c of ordered) {
      const object = this.objects.get(c.kind);
      if (!object) continue;
      const value = negated ? oppositeValue(c) : c.value;
      if (value !== undefined) object.attributes[c.attribute] = value;
      return true;
    }
    return false;
  }

  private colour(colour: Colour, after: boolean): void {
    this.afterBreak = false;
    const target = this.predicateObject ?? (after ? this.clauseObject : undefined);
    if (target) {
      const object = this.objects.get(target);
      if (object && !this.negated) object.colour = colour;
      this.negated = false;
      return;
    }
    if (!after) this.modifiers.colour = colour;
  }

  private size(size: Size): void {
    this.afterBreak = false;
    if (this.predicateObject) {
      const object = this.objects.get(this.predicateObject);
      if (object && !this.negated) object.size = size;
      this.negated = false;
      return;
    }
    this.modifiers.size = size;
  }

  private count(value: number): void {
    this.predicateObject = undefined;
    this.afterBreak = false;
    this.modifiers.count = value;
    this.modifiers.countFromArticle = false;
  }

  private setting(m: Extract<Meaning, { type: 'time' | 'ground' | 'weather' }>): void {
    this.predicateObject = undefined;
    this.afterBreak = false;
    // Adjectives before "field" or "sky" described it, not an object.
    this.settleModifiers();
    if (this.negated) {
      this.negated = false; // "no rain" says what the weather is not; nothing to set
      return;
    }
    if (m.type === 'time') this.time = m.time;
    else if (m.type === 'ground') this.ground = m.ground;
    else this.weather = m.weather;
  }

  private commitPosition(): void {
    if (!this.run) return;
    const position = positionOf(this.run);
    this.run = undefined;
    // Whatever article preceded the position phrase ("the left") belonged to it.
    this.modifiers.count = undefined;
    this.modifiers.countFromArticle = false;
    this.modifiers.definite = false;
    if (this.negated) {
      this.negated = false;
      this.afterBreak = false;
      return;
    }
    const wasBreak = this.afterBreak;
    this.afterBreak = false;
    if (!wasBreak && this.clauseObject === null) return; // "no dogs on the left"
    const named = !wasBreak && this.clauseObject ? this.objects.get(this.clauseObject) : undefined;
    if (named) named.position = position;
    else this.frontedPosition = position;
  }

  /** Attribute words that found no noun after them ("a man waving") go to a named object. */
  private settleModifiers(): void {
    for (const choices of this.modifiers.choices) this.bindToNamed(choices, false);
    this.modifiers = noModifiers();
  }

  private endClause(): void {
    this.clauseObject = undefined;
    this.predicateObject = undefined;
    this.negated = false;
    this.negatedList = false;
    this.afterBreak = true;
  }

  private endSentence(): void {
    this.settleModifiers();
    if (this.frontedPosition && this.sentenceObject) {
      // "Two dogs, on the left." : a trailing position with no object after it.
      const object = this.objects.get(this.sentenceObject);
      if (object && object.position === undefined) object.position = this.frontedPosition;
    }
    this.frontedPosition = undefined;
    this.sentenceObject = undefined;
    this.endClause();
  }
}

/** Parses a description; unknown words are ignored and no input makes it throw. */
export function parseDescription(text: string): PartialScene {
  const reader = new DescriptionReader();
  for (const step of segment(tokenize(text))) reader.read(step);
  return reader.finish();
}
