import type { BotCommand } from './bot-command.js';
import { forgetMeCommand } from './forget-me.js';
import { historyCommand } from './history.js';
import { adminCommand } from './mirage-admin.js';
import { searchCommand } from './search.js';

/** Every slash command, one file each, as deployed by `mirage bot deploy-commands`. */
export const COMMANDS: readonly BotCommand[] = [searchCommand, historyCommand, forgetMeCommand, adminCommand];
