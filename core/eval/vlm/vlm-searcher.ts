import { MirageError } from '../../errors.js';
import { deriveSeed } from '../../random/seed.js';
import type { EpisodeSearcher, Searcher, TargetImage } from '../searcher.js';
import { ChatClient, type ChatClientOptions } from './chat-client.js';
import { imageDataUrl } from './image-data-url.js';
import { DEFAULT_PROMPT_VERSION, loadPromptSet, type PromptSet } from './prompts.js';
import type { VlmConfig } from './vlm-config.js';
import { VlmEpisode } from './vlm-episode.js';

export interface VlmSearcherOptions {
  readonly config: VlmConfig;
  /** Folder under core/eval/vlm/prompts/; part of the searcher id so results name their prompts. */
  readonly promptVersion?: string;
  /** Longest query sent to the system, in characters. */
  readonly maxQueryChars?: number;
  /** Images larger than this (either side) are shrunk before sending. */
  readonly maxImageSide?: number;
  /** Replaces the real wait between retries (tests). */
  readonly sleep?: ChatClientOptions['sleep'];
}

export const DEFAULT_MAX_QUERY_CHARS = 900;
export const DEFAULT_MAX_IMAGE_SIDE = 1_024;

/** A simulated user played by a vision-language model over an OpenAI-compatible API. */
export class VlmSearcher implements Searcher {
  readonly id: string;
  private readonly prompts: PromptSet;

  constructor(private readonly options: VlmSearcherOptions) {
    for (const key of ['maxQueryChars', 'maxImageSide'] as const) {
      const value = options[key];
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new MirageError('INVALID_INPUT', `VLM searcher option ${key} must be a positive integer, got ${value}.`);
      }
    }
    this.prompts = loadPromptSet(options.promptVersion ?? DEFAULT_PROMPT_VERSION);
    this.id = `vlm:${this.prompts.version}:${options.config.model}`;
  }

  async startEpisode(target: TargetImage, seed: number): Promise<EpisodeSearcher> {
    const maxImageSide = this.options.maxImageSide ?? DEFAULT_MAX_IMAGE_SIDE;
    const client = new ChatClient(this.options.config, {
      jitterSeed: deriveSeed(seed, 'vlm-backoff'),
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
    });
    return new VlmEpisode({
      client,
      prompts: this.prompts,
      targetUrl: await imageDataUrl(target.image, maxImageSide),
      seed,
      maxQueryChars: this.options.maxQueryChars ?? DEFAULT_MAX_QUERY_CHARS,
      maxImageSide,
    });
  }
}
