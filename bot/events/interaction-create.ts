import { Events, type Client, type Interaction } from 'discord.js';
import { answeringFailures } from '../answer-failure.js';
import { askerFrom } from '../asker.js';
import type { BotContext } from '../bot-context.js';
import { COMMANDS } from '../commands/index.js';
import { CONTROLS } from '../components/index.js';
import { decodeControlId } from '../custom-ids.js';

const NOT_OURS = 'This control is not one Mirage knows (it may be from an older version). Start again with /search.';

/** Routes every interaction to its command or control (see answeringFailures for errors). */
export function onInteraction(client: Client, ctx: BotContext, closing: () => boolean): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void route(ctx, interaction, closing()).catch((e: unknown) => ctx.log.error({ error: describe(e) }, 'could not answer an interaction'));
  });
}

async function route(ctx: BotContext, interaction: Interaction, closing: boolean): Promise<void> {
  if (!interaction.inCachedGuild()) {
    if (interaction.isRepliable()) await interaction.reply({ content: 'Mirage works in servers only.', ephemeral: true });
    return;
  }
  if (interaction.isAutocomplete()) {
    await COMMANDS.find((c) => c.data.name === interaction.commandName)?.autocomplete?.(ctx, interaction);
    return;
  }
  if (interaction.isChatInputCommand()) {
    const command = COMMANDS.find((c) => c.data.name === interaction.commandName);
    const asker = askerFrom(interaction);
    if (closing || !command) return void (await asker.tell(closing ? 'Mirage is restarting; try again in a minute.' : NOT_OURS));
    await answeringFailures(ctx.log, asker, 'command', () => command.execute(ctx, interaction));
    return;
  }
  if (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) {
    const asker = askerFrom(interaction);
    const id = decodeControlId(interaction.customId);
    if (closing || !id) return void (await asker.tell(closing ? 'Mirage is restarting; try again in a minute.' : NOT_OURS));
    const values = interaction.isStringSelectMenu() ? interaction.values : [];
    const fields = interaction.isModalSubmit() ? Object.fromEntries(interaction.fields.fields.map((f, key) => [key, 'value' in f ? String(f.value) : ''])) : {};
    await answeringFailures(ctx.log, asker, 'control', () => CONTROLS[id.action].handle(ctx, asker, id, { values, fields }));
  }
}

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
