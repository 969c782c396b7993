import type { ControlAction } from '../custom-ids.js';
import type { BotControl } from './bot-control.js';
import { closerControl } from './closer.js';
import { forgetControl } from './forget.js';
import { foundControl } from './found.js';
import { notTheseControl } from './not-these.js';
import { refineControl } from './refine.js';
import { refinedControl } from './refined.js';
import { rerollControl } from './reroll.js';
import { shareControl } from './share.js';
import { stopControl } from './stop.js';

/** Every control, one file each, by the action its custom id names. */
export const CONTROLS: { readonly [A in ControlAction]: BotControl } = {
  refine: refineControl,
  refined: refinedControl,
  closer: closerControl,
  not: notTheseControl,
  reroll: rerollControl,
  found: foundControl,
  stop: stopControl,
  share: shareControl,
  forget: forgetControl,
};
