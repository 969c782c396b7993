import type { Asker } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import type { SearchRecord } from '../repositories/search-repository.js';
import { archiveImageFile } from '../services/discord-files.js';
import type { FoundImage } from '../views/found-view.js';
import { foundView } from '../views/found-view.js';
import { sourceOf } from '../views/hit-lines.js';
import type { BotControl } from './bot-control.js';

/** The found image of a search, as the Found and Share views show it. */
export async function foundImage(ctx: BotContext, asker: Asker, found: NonNullable<SearchRecord['found']>, archive: string): Promise<FoundImage> {
  const spoiler = found.attributes?.spoiler === '1';
  const source = sourceOf(found.attributes);
  const original = () => ctx.engine.getImage({ kind: 'archive', archive, id: found.imageId }, 'full');
  return {
    image: await archiveImageFile('found', original, asker.attachmentLimit, spoiler),
    spoiler,
    ...(source ? { source } : {}),
    ...(found.caption ? { caption: found.caption } : {}),
  };
}

/** Found it: records the hit as the image searched for, ends the search, shows the original. */
export const foundControl: BotControl = {
  action: 'found',
  async handle(ctx, asker, id, input) {
    await asker.defer('update');
    const number = Number(input.values[0]);
    const { search } = await ctx.search.found(id.ref, asker.member, id.round, number);
    if (!search.found) throw new Error('A found search has no found image.');
    await asker.show(foundView(id.ref, id.round, await foundImage(ctx, asker, search.found, search.archive), asker.attachmentLimit));
  },
};
