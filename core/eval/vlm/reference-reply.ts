import { MirageError } from '../../errors.js';

const REASONING_TAG = /<\/?think>/i;

/**
 * A reply as the published simulator kept it: stripped of surrounding whitespace and nothing
 * else (no markdown, label or quote removal, no length cap). The server has already refused an
 * empty reply. A reasoning block is refused too: the reference's Gemma 3 writes none, and kept
 * verbatim it would become the description.
 */
export function referenceReply(reply: string, call: string, round: number): string {
  if (REASONING_TAG.test(reply)) {
    throw new MirageError(
      'MODEL_ERROR',
      `VLM reply to the ${call} prompt in round ${round} holds a <think> reasoning block. The genir-ref prompts keep replies as the ` +
        'reference did (strip only), so the reasoning would become the description: serve a model without reasoning output ' +
        '(Gemma 3, as in the paper) or let the server split the reasoning off (vLLM --reasoning-parser).',
    );
  }
  return reply.trim();
}

/**
 * What the reference's text-retrieval evaluation read from a caption file: every line stripped and
 * the lines joined with ", " (blank lines included, as Python's line iteration yields them).
 */
export function joinReplyLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .join(', ');
}
