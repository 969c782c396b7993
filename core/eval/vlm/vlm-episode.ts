import { MirageError } from '../../errors.js';
import type { EncodedImage } from '../../images/raw-image.js';
import { deriveSeed } from '../../random/seed.js';
import type { EpisodeSearcher, ShownFeedback, TokenUsage } from '../searcher.js';
import type { ChatClient } from './chat-client.js';
import { imagePart, textPart, type ChatMessage } from './chat-messages.js';
import { imageDataUrl } from './image-data-url.js';
import type { PromptName, PromptSet } from './prompts.js';
import { normaliseReply } from './reply-text.js';

export interface VlmEpisodeSettings {
  readonly client: ChatClient;
  readonly prompts: PromptSet;
  /** The remembered image, already a data URL. */
  readonly targetUrl: string;
  readonly seed: number;
  readonly maxQueryChars: number;
  readonly maxImageSide: number;
}

/** Intermediate replies (differences, answers) feed the next prompt; cap them so prompts stay small. */
const MAX_DIFFERENCES_CHARS = 1_200;
const MAX_ANSWER_CHARS = 300;

/**
 * One simulated user: GenIR's compare-then-refine loop. Every prompt carries the target image,
 * because a person keeps the picture in mind while rewriting; this costs image tokens per call
 * but lets the model add details it can actually see instead of guessing.
 */
export class VlmEpisode implements EpisodeSearcher {
  constructor(private readonly settings: VlmEpisodeSettings) {}

  async describe(): Promise<string> {
    return this.query(0, 'describe', this.ask(0, 'describe'));
  }

  async refine(shown: ShownFeedback): Promise<string> {
    const feedback = shown.feedback;
    switch (feedback.kind) {
      case 'synthetic': {
        const first = shown.synthetic[0];
        if (!first) throw missing(shown.round, 'synthetic feedback came with no synthetic image');
        return this.compareThenRefine(shown, first.image);
      }
      case 'top1':
        if (!shown.top1) throw missing(shown.round, 'top-1 feedback came without the top-1 image');
        return this.compareThenRefine(shown, shown.top1.image);
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

  private async compareThenRefine(shown: ShownFeedback, feedbackImage: EncodedImage): Promise<string> {
    const feedbackUrl = await imageDataUrl(feedbackImage, this.settings.maxImageSide);
    const differences = normaliseReply(
      await this.ask(shown.round, 'compare', { previousQuery: shown.previousQuery }, feedbackUrl),
      MAX_DIFFERENCES_CHARS,
    );
    const rewritten = this.ask(shown.round, 'refine', { previousQuery: shown.previousQuery, differences });
    return this.query(shown.round, 'refine', rewritten);
  }

  /** One chat request: persona, then the prompt with the target image and any extra image after it. */
  private ask(
    round: number,
    prompt: Exclude<PromptName, 'system'>,
    values: Readonly<Record<string, string>> = {},
    extraImageUrl?: string,
  ): Promise<string> {
    const { prompts, client, targetUrl, seed } = this.settings;
    const images = extraImageUrl ? [targetUrl, extraImageUrl] : [targetUrl];
    const messages: ChatMessage[] = [
      { role: 'system', content: prompts.render('system') },
      { role: 'user', content: [textPart(prompts.render(prompt, values)), ...images.map(imagePart)] },
    ];
    return client.complete(messages, { seed: deriveSeed(seed, 'vlm', round, prompt) });
  }

  private async query(round: number, prompt: PromptName, reply: Promise<string>): Promise<string> {
    const text = normaliseReply(await reply, this.settings.maxQueryChars);
    if (text === '') {
      throw new MirageError('MODEL_ERROR', `VLM gave no usable description in round ${round} (${prompt} prompt).`);
    }
    return text;
  }
}

const missing = (round: number, what: string) =>
  new MirageError('INVALID_INPUT', `Cannot refine round ${round}: ${what}.`);
