import { deriveSeed } from '../../random/seed.js';
import type { ChatClient } from './chat-client.js';
import { imagePart, textPart, type ChatMessage } from './chat-messages.js';
import type { MirageCall, PromptSet, ReferenceCall } from './prompts.js';

/** What every call of one episode shares. */
export interface VlmCaller {
  readonly client: ChatClient;
  readonly prompts: PromptSet;
  readonly seed: number;
  /** Sent as repetition_penalty when set. */
  readonly repetitionPenalty?: number;
}

/**
 * One stateless chat request: the call's system message, then one user turn with the images
 * (data URLs) before or after the text as the prompt set says, and the call's own token budget.
 * The sampling seed follows from the episode seed, the round and the call, so a rerun replays.
 */
export function askVlm(
  caller: VlmCaller,
  round: number,
  call: MirageCall | ReferenceCall,
  values: Readonly<Record<string, string>>,
  imageUrls: readonly string[],
): Promise<string> {
  const { prompts, client, seed, repetitionPenalty } = caller;
  const rendered = prompts.render(call, values);
  const text = textPart(rendered.user);
  const images = imageUrls.map(imagePart);
  const messages: ChatMessage[] = [
    { role: 'system', content: rendered.system },
    { role: 'user', content: prompts.imagesFirst ? [...images, text] : [text, ...images] },
  ];
  return client.complete(messages, {
    seed: deriveSeed(seed, 'vlm', round, call),
    ...(rendered.maxTokens === undefined ? {} : { maxTokens: rendered.maxTokens }),
    ...(repetitionPenalty === undefined ? {} : { repetitionPenalty }),
  });
}
