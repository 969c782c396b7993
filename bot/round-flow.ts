import type { Asker } from './asker.js';
import type { BotContext } from './bot-context.js';
import { roundFiles } from './services/discord-files.js';
import type { RoundOptions, SearchStep } from './services/search-service.js';
import { ThrottledReply } from './services/throttled-reply.js';
import type { V2Message } from './views/message-payload.js';
import { progressView } from './views/progress-view.js';
import { roundView } from './views/round-view.js';

/** The message of one round: its view with its images, sized for this interaction. */
export async function roundMessage(ctx: BotContext, asker: Asker, step: SearchStep): Promise<V2Message> {
  const { search, round } = step;
  const files = await roundFiles(ctx.search.engineOf(search), search.archive, round, asker.attachmentLimit);
  return roundView({
    ref: step.ref,
    archive: search.archive,
    strategy: search.strategy,
    round,
    synthetic: files.synthetic,
    ...(files.sheet ? { sheet: files.sheet } : {}),
    attachmentLimit: asker.attachmentLimit,
    channelName: (id) => asker.member.channelName(id),
  });
}

/**
 * Runs a round while the reply shows where it is (queued, drawing, searching; edited at most
 * every 2 s), then shows the round. When the round fails after progress replaced a previous
 * round's message, that round is shown again (the search is unchanged) before the error is
 * passed on to be told.
 */
export async function runRoundShown(
  ctx: BotContext,
  asker: Asker,
  run: (progress: Required<Pick<RoundOptions, 'onProgress'>>) => Promise<SearchStep>,
  previous?: () => Promise<SearchStep | undefined>,
): Promise<void> {
  const reply = new ThrottledReply<V2Message>((message) => asker.show(message));
  let shownProgress = false;
  let worker = false;
  let step: SearchStep;
  try {
    step = await run({
      onProgress: (p) => {
        // A queue position can arrive after a worker already reported its first stage.
        if (p.stage === 'queued' && worker) return;
        if (p.stage !== 'queued') worker = true;
        shownProgress = true;
        reply.progress(progressView(p));
      },
    });
  } catch (e) {
    const before = shownProgress && previous ? await previous().catch(() => undefined) : undefined;
    if (before) await reply.final(await roundMessage(ctx, asker, before)).catch(() => undefined);
    throw e;
  }
  await reply.final(await roundMessage(ctx, asker, step));
}
