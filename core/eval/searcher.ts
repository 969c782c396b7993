import type { EncodedImage } from '../images/raw-image.js';
import type { Feedback, StrategyName } from '../session/session.js';

/** The image the simulated user holds in mind. Only the searcher ever receives it. */
export interface TargetImage {
  readonly id: string;
  readonly image: EncodedImage;
}

export interface ShownSynthetic {
  readonly image: EncodedImage;
  /** What the generator says it drew (the Scenes world's scene), when it says. */
  readonly interpretation?: Readonly<Record<string, unknown>>;
}

/**
 * Exactly what a person would be shown after a round: their own last description and the
 * strategy's feedback, with images resolved to bytes. Never ranks or scores of the target.
 */
export interface ShownFeedback {
  readonly round: number;
  readonly previousQuery: string;
  readonly feedback: Feedback;
  readonly synthetic: readonly ShownSynthetic[];
  /** The top-1 retrieved image, for prediction feedback. */
  readonly top1?: { readonly id: string; readonly image: EncodedImage };
}

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly requests: number;
}

/** One simulated user searching for one target. */
export interface EpisodeSearcher {
  /** Round 0: the first description of the remembered image. */
  describe(): Promise<string>;
  /** Later rounds: a rewritten description after seeing the feedback. */
  refine(shown: ShownFeedback): Promise<string>;
  usage(): TokenUsage | undefined;
}

/**
 * What the user knows about the search before round 0: which kind of system they are using. The
 * published simulators open each kind with its own captioning prompt. Never the target's rank.
 */
export interface EpisodeContext {
  readonly strategy: StrategyName;
}

/** What a searcher says about itself in results.json and report.html. */
export interface SearcherProfile {
  /** Settings that shape its descriptions (prompt set, model, sampling). */
  readonly settings: Readonly<Record<string, string | number>>;
  /** Known ways it differs from the published protocol it reproduces; empty when it reproduces none. */
  readonly deviations: readonly string[];
}

export interface Searcher {
  readonly id: string;
  readonly profile?: SearcherProfile;
  startEpisode(target: TargetImage, seed: number, context?: EpisodeContext): Promise<EpisodeSearcher>;
}
