import { ActionRowBuilder, ButtonBuilder, ButtonStyle, ContainerBuilder, type MessageActionRowComponentBuilder } from 'discord.js';
import { encodeControlId } from '../custom-ids.js';
import { jumpLink, type HitSource } from './hit-lines.js';
import { v2Message, type MessageFile, type V2Message } from './message-payload.js';

export interface FoundImage {
  readonly source?: HitSource;
  readonly caption?: string;
  readonly image: MessageFile;
  /** Posted as a spoiler: shown blurred until clicked, as the original was. */
  readonly spoiler: boolean;
}

function describe(found: FoundImage): string {
  if (found.source) return `[Jump to the original message](${jumpLink(found.source)}) in <#${found.source.channelId}>`;
  return found.caption ?? '';
}

function gallery(container: ContainerBuilder, found: FoundImage): ContainerBuilder {
  return container.addMediaGalleryComponents((g) => g.addItems((item) => item.setURL(`attachment://${found.image.name}`).setSpoiler(found.spoiler)));
}

/** The end of a search: the original image, where it was posted, and a Share button. */
export function foundView(ref: string, round: number, found: FoundImage, attachmentLimit: number): V2Message {
  const container = gallery(new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(`### Found it\n${describe(found)}`)), found);
  const share = new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
    new ButtonBuilder().setCustomId(encodeControlId({ action: 'share', ref, round })).setLabel('Share in this channel').setStyle(ButtonStyle.Success),
  );
  return v2Message([container, share], [found.image], attachmentLimit);
}

/** What Share posts for everyone in the channel. */
export function sharedView(userId: string, found: FoundImage, attachmentLimit: number): V2Message {
  const container = gallery(new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(`<@${userId}> found this image with Mirage.\n${describe(found)}`)), found);
  return v2Message([container], [found.image], attachmentLimit);
}
