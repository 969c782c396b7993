import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RoundProgress, RoundStage } from '../core/ports/engine.js';

export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The stages that run on a worker, one unit each; waiting in the queue sits at 0. */
const STAGES: readonly RoundStage[] = ['generate', 'embed', 'search', 'feedback'];
const STAGE_TEXT: Readonly<Record<RoundStage, string>> = {
  queued: 'waiting for a worker',
  generate: 'picturing the description',
  embed: 'embedding the query',
  search: 'searching the archive',
  feedback: 'preparing feedback',
};

/** Position of a round's progress on a 0..4 scale: one unit per stage, generation steps inside the first. */
function progressValue(progress: RoundProgress): number {
  const stage = Math.max(0, STAGES.indexOf(progress.stage));
  const within = progress.step !== undefined && progress.total ? Math.min(1, progress.step / progress.total) : 0;
  return stage + within;
}

function progressMessage(progress: RoundProgress): string {
  const steps =
    progress.position !== undefined
      ? ` (${progress.position} in line)`
      : progress.step !== undefined && progress.total !== undefined
        ? ` (${progress.step}/${progress.total})`
        : '';
  return `${STAGE_TEXT[progress.stage]}${steps}`;
}

/**
 * Turns engine progress into notifications/progress for a request that asked for it (sent a
 * progressToken). MCP requires progress to increase, so repeats and step-backs are dropped.
 */
export function progressNotifier(extra: HandlerExtra): ((progress: RoundProgress) => void) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let last = -1;
  return (progress) => {
    const value = progressValue(progress);
    if (value <= last) return;
    last = value;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: value, total: STAGES.length, message: progressMessage(progress) },
      })
      // A client that went away must not fail the round.
      .catch(() => undefined);
  };
}
