import { ActionRowBuilder, ButtonBuilder, ButtonStyle, ContainerBuilder, type MessageActionRowComponentBuilder } from 'discord.js';
import { encodeControlId } from '../custom-ids.js';
import { v2Message, type V2Message } from './message-payload.js';

/** After /forget-me: the searches are gone; removing the member's images waits for a click. */
export function forgetView(userId: string, searches: number, images: number): V2Message {
  const text =
    `Deleted your ${searches} search${searches === 1 ? '' : 'es'} in this server.\n` +
    (images > 0
      ? `Mirage also holds **${images} image${images === 1 ? '' : 's'}** you posted here. Remove them from the archive (your messages stay in Discord)? Mirage will not index your images here again.`
      : 'Mirage holds no images you posted here.');
  const container = new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(text));
  if (images === 0) return v2Message([container]);
  const confirm = new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
    new ButtonBuilder().setCustomId(encodeControlId({ action: 'forget', ref: userId, round: 0 })).setLabel('Remove my images').setStyle(ButtonStyle.Danger),
  );
  return v2Message([container, confirm]);
}
