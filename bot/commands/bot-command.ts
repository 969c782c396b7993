import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../bot-context.js';

/** One slash command: its definition (deployed by `mirage bot deploy-commands`) and its handlers. */
export interface BotCommand {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Commands answer with a new message: errors replace the deferred reply. */
  execute(ctx: BotContext, interaction: ChatInputCommandInteraction<'cached'>): Promise<void>;
  autocomplete?(ctx: BotContext, interaction: AutocompleteInteraction<'cached'>): Promise<void>;
}
