import { LIMITS } from '../../core/session/requests.js';
import { encodeControlId } from '../custom-ids.js';
import type { BotControl } from './bot-control.js';

/** The modal's one text input. */
export const DESCRIPTION_INPUT = 'description';

/** Refine: a modal pre-filled with the last description (its answer goes to components/refined.ts). */
export const refineControl: BotControl = {
  action: 'refine',
  async handle(ctx, asker, id) {
    const search = await ctx.search.owned(id.ref, asker.member, id.round);
    await asker.openModal({
      customId: encodeControlId({ action: 'refined', ref: id.ref, round: id.round }),
      title: 'Refine your description',
      label: 'What the image shows',
      inputId: DESCRIPTION_INPUT,
      value: search.lastQuery,
      maxLength: LIMITS.maxQueryChars,
    });
  },
};
