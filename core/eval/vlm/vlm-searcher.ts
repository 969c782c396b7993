import { MirageError } from '../../errors.js';
import { deriveSeed } from '../../random/seed.js';
import { LIMITS } from '../../session/requests.js';
import type { EpisodeContext, EpisodeSearcher, Searcher, SearcherProfile, TargetImage } from '../searcher.js';
import { ChatClient, type ChatClientOptions } from './chat-client.js';
import { imageDataUrl } from './image-data-url.js';
import { DEFAULT_PROMPT_VERSION, loadPromptSet, type PromptSet } from './prompts.js';
import { ReferenceEpisode } from './reference-episode.js';
import type { VlmConfig } from './vlm-config.js';
import { VlmEpisode } from './vlm-episode.js';
import { repetitionPenaltyToSend, vlmProfile } from './vlm-profile.js';

export interface VlmSearcherOptions {
  readonly config: VlmConfig;
  /** Folder under core/eval/vlm/prompts/ (v1, genir-ref); part of the searcher id so results name their prompts. */
  readonly promptVersion?: string;
  /** Longest query sent to the system, in characters. */
  readonly maxQueryChars?: number;
  /** Images larger than this (either side) are shrunk before sending. */
  readonly maxImageSide?: number;
  /** Replaces the real wait between retries (tests). */
  readonly sleep?: ChatClientOptions['sleep'];
}

/** Mirage's own prompts cap descriptions below the engine's limit, at a sentence boundary. */
export const DEFAULT_MAX_QUERY_CHARS = 900;
export const DEFAULT_MAX_IMAGE_SIDE = 1_024;

/** A simulated user played by a vision-language model over an OpenAI-compatible API. */
export class VlmSearcher implements Searcher {
  readonly id: string;
  readonly profile: SearcherProfile;
  private readonly prompts: PromptSet;
  private readonly maxQueryChars: number;
  private readonly maxImageSide: number;

  constructor(private readonly options: VlmSearcherOptions) {
    for (const key of ['maxQueryChars', 'maxImageSide'] as const) {
      const value = options[key];
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new MirageError('INVALID_INPUT', `VLM searcher option ${key} must be a positive integer, got ${value}.`);
      }
    }
    this.prompts = loadPromptSet(options.promptVersion ?? DEFAULT_PROMPT_VERSION);
    this.id = `vlm:${this.prompts.version}:${options.config.model}`;
    // The reference keeps whole replies; only the engine's own limit cuts them, for retrieval.
    const defaultChars = this.prompts.protocol === 'genir-ref' ? LIMITS.maxQueryChars : DEFAULT_MAX_QUERY_CHARS;
    this.maxQueryChars = Math.min(options.maxQueryChars ?? defaultChars, LIMITS.maxQueryChars);
    this.maxImageSide = options.maxImageSide ?? DEFAULT_MAX_IMAGE_SIDE;
    this.profile = vlmProfile(options.config, this.prompts, { maxQueryChars: this.maxQueryChars, maxImageSide: this.maxImageSide });
  }

  async startEpisode(target: TargetImage, seed: number, context?: EpisodeContext): Promise<EpisodeSearcher> {
    const { config, sleep } = this.options;
    const client = new ChatClient(config, { jitterSeed: deriveSeed(seed, 'vlm-backoff'), ...(sleep ? { sleep } : {}) });
    const penalty = repetitionPenaltyToSend(config, this.prompts);
    const shared = {
      client,
      prompts: this.prompts,
      seed,
      ...(penalty === undefined ? {} : { repetitionPenalty: penalty }),
      targetUrl: await imageDataUrl(target.image, this.maxImageSide),
      maxQueryChars: this.maxQueryChars,
      maxImageSide: this.maxImageSide,
    };
    if (this.prompts.protocol === 'mirage') return new VlmEpisode(shared);
    if (!context) {
      throw new MirageError('INVALID_INPUT', `The ${this.prompts.version} prompts open each strategy with its own call; start the episode with its strategy.`);
    }
    return new ReferenceEpisode({ ...shared, strategy: context.strategy });
  }
}
