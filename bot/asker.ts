import {
  ContainerBuilder,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { DISCORD_LIMITS } from './discord-limits.js';
import { memberView, type MemberView } from './member-view.js';
import { v2Message, type V2Message } from './views/message-payload.js';

/** A modal with one paragraph input, pre-filled (Refine). */
export interface TextModal {
  readonly customId: string;
  readonly title: string;
  readonly label: string;
  readonly inputId: string;
  readonly value: string;
  readonly maxLength: number;
}

/**
 * How a handler answers the member an interaction came from. Discord wants an answer within 3
 * seconds, so handlers `defer` first and `show` the result when it is ready; everything a
 * handler says goes through here, which keeps handlers testable with a narrow fake.
 */
export interface Asker {
  readonly member: MemberView;
  /** Largest attachment this interaction's channel accepts (Discord's attachment_size_limit). */
  readonly attachmentLimit: number;
  /** A new ephemeral reply (commands), or an update of the message the control is on. */
  defer(how: 'reply' | 'update'): Promise<void>;
  /** Replaces the deferred reply, or the control's message. */
  show(message: V2Message): Promise<void>;
  /** A short message for this member only: the reply itself, or a follow-up once acknowledged. */
  tell(text: string): Promise<void>;
  /** A message every member in the channel sees. */
  post(message: V2Message): Promise<void>;
  openModal(modal: TextModal): Promise<void>;
}

type RepliableInteraction =
  | ChatInputCommandInteraction<'cached'>
  | ButtonInteraction<'cached'>
  | StringSelectMenuInteraction<'cached'>
  | ModalSubmitInteraction<'cached'>;

const EPHEMERAL_V2 = MessageFlags.Ephemeral | MessageFlags.IsComponentsV2;

export function askerFrom(interaction: RepliableInteraction): Asker {
  return {
    member: memberView(interaction.guild, interaction.member, interaction.channelId ?? ''),
    attachmentLimit: interaction.attachmentSizeLimit ?? DISCORD_LIMITS.defaultAttachmentBytes,
    async defer(how) {
      if (how === 'reply' || !('deferUpdate' in interaction)) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      else await interaction.deferUpdate();
    },
    async show(message) {
      // attachments: [] drops the previous message's files; the new ones come with `files`.
      await interaction.editReply({ components: message.components, files: message.files, attachments: [], flags: message.flags });
    },
    async tell(text) {
      const note = v2Message([new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(text))]);
      if (interaction.deferred || interaction.replied) await interaction.followUp({ components: note.components, flags: EPHEMERAL_V2 });
      else await interaction.reply({ components: note.components, flags: EPHEMERAL_V2 });
    },
    async post(message) {
      const payload = { components: message.components, files: message.files, flags: message.flags };
      if (interaction.deferred || interaction.replied) await interaction.followUp(payload);
      else await interaction.reply(payload);
    },
    async openModal(modal) {
      if (!('showModal' in interaction)) throw new Error('A modal can only answer a command or a control.');
      const input = new TextInputBuilder()
        .setCustomId(modal.inputId)
        .setStyle(TextInputStyle.Paragraph)
        .setMaxLength(Math.min(modal.maxLength, DISCORD_LIMITS.textInputChars))
        .setRequired(true)
        .setValue(modal.value.slice(0, modal.maxLength));
      await interaction.showModal(
        new ModalBuilder()
          .setCustomId(modal.customId)
          .setTitle(modal.title.slice(0, DISCORD_LIMITS.modalTitleChars))
          .addLabelComponents(new LabelBuilder().setLabel(modal.label).setTextInputComponent(input)),
      );
    },
  };
}

/** Autocomplete answers are choices, not messages; this is all a handler needs of them. */
export interface ChoiceAsker {
  readonly guildId: string;
  readonly focused: string;
  respond(choices: readonly { name: string; value: string }[]): Promise<void>;
}

export function choiceAskerFrom(interaction: AutocompleteInteraction<'cached'>): ChoiceAsker {
  return {
    guildId: interaction.guildId,
    focused: String(interaction.options.getFocused()),
    respond: async (choices) => {
      await interaction.respond(choices.slice(0, DISCORD_LIMITS.autocompleteChoices).map((c) => ({ name: c.name, value: c.value })));
    },
  };
}
