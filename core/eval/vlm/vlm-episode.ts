import { MirageError } from '../../errors.js';
import type { EncodedImage } from '../../images/raw-image.js';
import type { EpisodeSearcher, ShownFeedback, TokenUsage } from '../searcher.js';
import { feedbackImage } from './feedback-image.js';
import { imageDataUrl } from './image-data-url.js';
import type { MirageCall } from './prompts.js';
import { normaliseReply } from './reply-text.js';
import { askVlm, type VlmCaller } from './vlm-call.js';

export interface VlmEpisodeSettings extends VlmCaller {
  /** The remembered image, already a data URL. */
  readonly targetUrl: string;
  readonly maxQueryChars: number;
  readonly maxImageSide: number;
}

/** Intermediate replies (differences, answers) feed the next prompt; cap them so prompts stay small. */
const MAX_DIFFERENCES_CHARS = 1_200;
const MAX_ANSWER_CHARS = 300;

/**
 * One simulated user with Mirage's own prompts (set v1): GenIR's compare-then-refine loop, also
 * for top-1 images; questions are answered and folded into a rewritten description. Every prompt
 * carries the target image, because a person keeps the picture in mind while rewriting; this
 * costs image tokens per call but lets the model add details it can actually see instead of
 * guessing.
 */
export class VlmEpisode implements EpisodeSearcher {
  constructor(private readonly settings: VlmEpisodeSettings) {}

  async describe(): Promise<string> {
    return this.query(0, 'describe', this.ask(0, 'describe'));
  }

  async refine(shown: ShownFeedback): Promise<string> {
    const feedback = shown.feedback;
    switch (feedback.kind) {
      case 'synthetic':
      case 'top1':
        return this.compareThenRefine(shown, feedbackImage(shown, feedback.kind));
      case 'question': {
        const answer = normaliseReply(
          await this.ask(shown.round, 'answer', { question: feedback.text }),
          MAX_ANSWER_CHARS,
        );
        const rewritten = this.ask(shown.round, 'refine-answer', {
          previousQuery: shown.previousQuery,
          question: feedback.text,
          answer,
        });
        return this.query(shown.round, 'refine-answer', rewritten);
      }
      case 'none':
        return this.query(shown.round, 'elaborate', this.ask(shown.round, 'elaborate', { previousQuery: shown.previousQuery }));
    }
  }

  usage(): TokenUsage {
    return this.settings.client.usage();
  }

  private async compareThenRefine(shown: ShownFeedback, image: EncodedImage): Promise<string> {
    const feedbackUrl = await imageDataUrl(image, this.settings.maxImageSide);
    const differences = normaliseReply(
      await this.ask(shown.round, 'compare', { previousQuery: shown.previousQuery }, feedbackUrl),
      MAX_DIFFERENCES_CHARS,
    );
    const rewritten = this.ask(shown.round, 'refine', { previousQuery: shown.previousQuery, differences });
    return this.query(shown.round, 'refine', rewritten);
  }

  /** One chat request with the target image and any extra image. */
  private ask(round: number, call: MirageCall, values: Readonly<Record<string, string>> = {}, extraImageUrl?: string): Promise<string> {
    const { targetUrl } = this.settings;
    return askVlm(this.settings, round, call, values, extraImageUrl ? [targetUrl, extraImageUrl] : [targetUrl]);
  }

  private async query(round: number, prompt: MirageCall, reply: Promise<string>): Promise<string> {
    const text = normaliseReply(await reply, this.settings.maxQueryChars);
    if (text === '') {
      throw new MirageError('MODEL_ERROR', `VLM gave no usable description in round ${round} (${prompt} prompt).`);
    }
    return text;
  }
}
