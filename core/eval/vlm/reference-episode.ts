import { MirageError } from '../../errors.js';
import type { EncodedImage } from '../../images/raw-image.js';
import type { StrategyName } from '../../session/session.js';
import type { EpisodeSearcher, ShownFeedback, TokenUsage } from '../searcher.js';
import { feedbackImage } from './feedback-image.js';
import { imageDataUrl } from './image-data-url.js';
import type { ReferenceCall } from './prompts.js';
import { joinReplyLines, referenceReply } from './reference-reply.js';
import { cutAtWord } from './reply-text.js';
import { askVlm, type VlmCaller } from './vlm-call.js';

export interface ReferenceEpisodeSettings extends VlmCaller {
  readonly strategy: StrategyName;
  /** The remembered image, already a data URL. */
  readonly targetUrl: string;
  /** The engine's limit; longer descriptions are cut for retrieval only. */
  readonly maxQueryChars: number;
  readonly maxImageSide: number;
}

/**
 * Round 0 per strategy, as each published script opens: the GenIR loop with its diffusion
 * caption (500 tokens), prediction feedback with its retrieval caption, the text-only baseline
 * with the diffusion caption at 200 tokens. hybrid and verbal are not in the reference; they
 * open like the loop whose feedback they share (synthetic images; a text dialogue).
 */
const FIRST_CALL: Record<StrategyName, ReferenceCall> = {
  generative: 'describe',
  hybrid: 'describe',
  prediction: 'prediction-describe',
  text: 'text-describe',
  verbal: 'text-describe',
};

/**
 * What goes to the engine. The GenIR loop handed the stripped caption to the image generator as
 * it was; the text-retrieval evaluations read caption files line by line and joined the lines
 * with ", "; ChatIR-style dialogues join their turns with ", ".
 */
const QUERY_FORM: Record<StrategyName, 'caption' | 'caption-lines' | 'dialogue'> = {
  generative: 'caption',
  hybrid: 'caption',
  prediction: 'caption-lines',
  text: 'caption-lines',
  verbal: 'dialogue',
};

/**
 * One simulated user that makes the published GenIR simulator's calls (prompt set genir-ref):
 * synthetic feedback is compared with the target, then the caption refined; a top-1 image goes
 * into one refinement call with the target; with no feedback a critic that sees the target
 * critiques the caption and a refiner rewrites it; a question is answered and "question answer"
 * appended to the dialogue. Calls are stateless; the episode keeps the caption as the model wrote
 * it, because the reference fed that, not the retrieval text, into the next prompt.
 */
export class ReferenceEpisode implements EpisodeSearcher {
  private caption: string | undefined;
  private readonly dialogue: string[] = [];

  constructor(private readonly settings: ReferenceEpisodeSettings) {}

  async describe(): Promise<string> {
    this.caption = await this.reply(0, FIRST_CALL[this.settings.strategy]);
    this.dialogue.splice(0, this.dialogue.length, joinReplyLines(this.caption));
    return this.query();
  }

  async refine(shown: ShownFeedback): Promise<string> {
    const { round, feedback } = shown;
    const caption = this.caption;
    if (caption === undefined) throw new MirageError('INVALID_INPUT', `Cannot refine round ${round} before round 0 described the target.`);
    switch (feedback.kind) {
      case 'synthetic': {
        const comparison = await this.reply(round, 'compare', { caption }, feedbackImage(shown, 'synthetic'));
        this.caption = await this.reply(round, 'refine', { comparison, caption });
        break;
      }
      case 'top1':
        // "Position 0" is the shown image's place in the ranking (always first), never the target's.
        this.caption = await this.reply(round, 'prediction-refine', { caption, retrievalRank: '0' }, feedbackImage(shown, 'top1'));
        break;
      case 'none': {
        const critique = await this.reply(round, 'critique', { caption });
        this.caption = await this.reply(round, 'critique-refine', { critique, caption });
        break;
      }
      case 'question': {
        const answer = await this.reply(round, 'answer', { question: feedback.text });
        this.dialogue.push(`${feedback.text} ${joinReplyLines(answer)}`);
        break;
      }
    }
    return this.query();
  }

  usage(): TokenUsage {
    return this.settings.client.usage();
  }

  private query(): string {
    const caption = this.caption ?? '';
    const form = QUERY_FORM[this.settings.strategy];
    const text = form === 'dialogue' ? this.dialogue.join(', ') : form === 'caption-lines' ? joinReplyLines(caption) : caption;
    return cutAtWord(text, this.settings.maxQueryChars);
  }

  /** One call with the target image first and the feedback image, if any, after it; the reply stripped only. */
  private async reply(round: number, call: ReferenceCall, values: Readonly<Record<string, string>> = {}, shown?: EncodedImage): Promise<string> {
    const { targetUrl, maxImageSide } = this.settings;
    const images = shown ? [targetUrl, await imageDataUrl(shown, maxImageSide)] : [targetUrl];
    return referenceReply(await askVlm(this.settings, round, call, values, images), call, round);
  }
}
