import { invalidInput } from '../../errors.js';
import type { EpisodeSearcher, ShownFeedback } from '../searcher.js';
import { describePartialScene } from '../../scenes/describe.js';
import { sceneSchema, type Scene } from '../../scenes/scene.js';
import { isPresenceKey, kindOfKey, presenceKey } from './fact-keys.js';
import type { Memory } from './memory.js';
import { corrections, type Correction } from './perception.js';
import type { ScenePerception } from './scene-perception.js';

/** How the user reads picture `picture` of round `round` (the identity for perfect perception). */
export type PictureReading = (scene: Scene, round: number, picture: number) => Scene;

const asShown: PictureReading = (scene) => scene;

/**
 * One simulated user's search. It keeps the set of facts it has said so far and re-describes
 * them every round (a rewritten description, not an appended log). Each round adds at most one
 * thing: the correction the feedback calls for, else the next remembered detail; it says only
 * what it remembers, so forgotten facts never appear and misremembered ones appear wrongly.
 *
 * A correction whose facts are all said already is skipped: repeating it would change nothing
 * (the renderer or the archive simply disagrees), and the next one still can.
 */
export class ScriptedEpisode implements EpisodeSearcher {
  private readonly stated = new Set<string>();

  constructor(
    private readonly memory: Memory,
    private readonly perceive: ScenePerception,
    initialExtraFacts: number,
    private readonly read: PictureReading = asShown,
  ) {
    const presences = memory.facts.filter(isPresenceKey);
    const extras = memory.facts.filter((key) => !presences.includes(key)).slice(0, initialExtraFacts);
    this.state([...presences, ...extras]);
  }

  async describe(): Promise<string> {
    return this.text();
  }

  async refine(shown: ShownFeedback): Promise<string> {
    const correction = this.respondTo(shown);
    if (correction) this.state(correction);
    else this.addNextDetail();
    return this.text();
  }

  usage(): undefined {
    return undefined;
  }

  /** The facts the feedback makes the user say, or undefined when it calls for nothing new. */
  private respondTo(shown: ShownFeedback): readonly string[] | undefined {
    const feedback = shown.feedback;
    switch (feedback.kind) {
      case 'synthetic':
        return this.commonestCorrection(perceivedRenderings(shown).map((scene, i) => this.read(scene, shown.round, i)));
      case 'top1':
        return this.commonestCorrection([this.read(this.perceiveTop1(shown), shown.round, 0)]);
      case 'question':
        return this.answer(feedback.attribute);
      case 'none':
        return undefined;
    }
  }

  /** The correction seen in the most pictures (ties: the most salient), among those that say something new. */
  private commonestCorrection(seen: readonly Scene[]): readonly string[] | undefined {
    const tally = new Map<string, { correction: Correction; pictures: number }>();
    for (const scene of seen) {
      for (const correction of corrections(this.memory, scene)) {
        if (correction.facts.every((key) => this.stated.has(key))) continue;
        const entry = tally.get(correction.main);
        if (entry) entry.pictures++;
        else tally.set(correction.main, { correction, pictures: 1 });
      }
    }
    const best = [...tally.values()].sort(
      (a, b) => b.pictures - a.pictures || this.memory.compare(a.correction.main, b.correction.main),
    )[0];
    return best?.correction.facts;
  }

  /** The remembered answer to a question about `attribute`; undefined for "don't know" or nothing new. */
  private answer(attribute: string): readonly string[] | undefined {
    const value = this.memory.recall(attribute);
    if (value === undefined) return undefined;
    const kind = kindOfKey(attribute);
    // "What colour is the car?" about a car the user is sure was not there: "there is no car".
    const key = kind !== undefined && this.memory.recall(presenceKey(kind)) === 'no' ? presenceKey(kind) : attribute;
    return this.stated.has(key) ? undefined : [key];
  }

  private addNextDetail(): void {
    const next = this.memory.facts.find((key) => !this.stated.has(key));
    if (next !== undefined) this.state([next]);
  }

  /** Saying something about an object names the object too. */
  private state(keys: readonly string[]): void {
    for (const key of keys) {
      const kind = kindOfKey(key);
      if (kind !== undefined) this.stated.add(presenceKey(kind));
      this.stated.add(key);
    }
  }

  private text(): string {
    return describePartialScene(this.memory.partialScene(this.stated));
  }

  private perceiveTop1(shown: ShownFeedback): Scene {
    if (!shown.top1) throw invalidInput(`Round ${shown.round} gave prediction feedback but showed no top-1 image.`);
    return this.perceive(shown.top1);
  }
}

/** What the generator says it drew, for each shown sample that says; invalid ones are an error. */
function perceivedRenderings(shown: ShownFeedback): Scene[] {
  return shown.synthetic.flatMap((sample, i) => {
    if (sample.interpretation === undefined) return [];
    const parsed = sceneSchema.safeParse(sample.interpretation);
    if (parsed.success) return [parsed.data];
    const issue = parsed.error.issues[0];
    throw invalidInput(
      `Synthetic image ${i} of round ${shown.round}: its interpretation is not a Scenes scene` +
        ` (${issue ? `${issue.path.join('.') || 'scene'}: ${issue.message}` : 'malformed'}).`,
    );
  });
}
