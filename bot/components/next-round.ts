import type { Asker } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import type { ControlId } from '../custom-ids.js';
import { runRoundShown } from '../round-flow.js';
import { allowFilterFor } from '../services/access.js';

/**
 * The next round of a search, from any control that asks for one (refine, closer to, not
 * these, reroll): acknowledges at once, then replaces the round's message with the new round.
 */
export async function nextRound(
  ctx: BotContext,
  asker: Asker,
  id: ControlId,
  turn: { query?: string; closerTo?: readonly string[]; notThese?: readonly string[] },
): Promise<void> {
  await asker.defer('update');
  const { member } = asker;
  const search = await ctx.search.owned(id.ref, member, id.round);
  const allow = allowFilterFor(search.archive, member, (await ctx.guilds.get(member.guildId)).indexedChannels);
  await runRoundShown(
    ctx,
    asker,
    ({ onProgress }) => ctx.search.next(id.ref, member, id.round, turn, { onProgress, ...(allow ? { allow } : {}) }),
    () => ctx.search.latest(id.ref),
  );
}
