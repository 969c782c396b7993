import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ContainerBuilder,
  MediaGalleryItemBuilder,
  StringSelectMenuBuilder,
  type MessageActionRowComponentBuilder,
} from 'discord.js';
import type { Feedback, Round } from '../../core/session/session.js';
import { encodeControlId, type ControlAction } from '../custom-ids.js';
import { DISCORD_LIMITS } from '../discord-limits.js';
import { clip, hitLabel, hitLine, linesWithin } from './hit-lines.js';
import { v2Message, type MessageFile, type V2Message } from './message-payload.js';

export interface RoundViewInput {
  readonly ref: string;
  readonly archive: string;
  readonly strategy: string;
  readonly round: Round;
  /** The synthetic images, sized for Discord, as synthetic-<n>.<ext>. */
  readonly synthetic: readonly MessageFile[];
  /** The numbered contact sheet of the hits. */
  readonly sheet?: MessageFile;
  readonly attachmentLimit: number;
  readonly channelName: (id: string) => string | undefined;
}

/**
 * One round as a member sees it: what Mirage understood (the synthetic images, its question,
 * or its best match), the numbered hits with where each came from, and the controls to go on.
 */
export function roundView(input: RoundViewInput): V2Message {
  const { round } = input;
  const heading = `### Round ${round.index + 1} · ${input.strategy} · ${input.archive}\n> ${clip(round.query.replace(/\s+/g, ' '), 600)}`;
  const understood = feedbackText(round.feedback);
  const container = new ContainerBuilder().addTextDisplayComponents((t) => t.setContent(heading));
  if (understood) container.addTextDisplayComponents((t) => t.setContent(understood));
  if (input.synthetic.length > 0) {
    const items = input.synthetic.map((f, i) => new MediaGalleryItemBuilder().setURL(`attachment://${f.name}`).setDescription(`Synthetic image ${i + 1}`));
    container.addMediaGalleryComponents((g) => g.addItems(items));
  }
  container.addSeparatorComponents((s) => s);
  const hits = round.hits.slice(0, DISCORD_LIMITS.selectOptions);
  const room = DISCORD_LIMITS.v2TextChars - heading.length - (understood?.length ?? 0);
  container.addTextDisplayComponents((t) =>
    t.setContent(
      hits.length > 0
        ? linesWithin(['**Top hits**', ...hits.map(hitLine)], room)
        : 'No images match yet: nothing you may see in this archive fits the description, or nothing is indexed.',
    ),
  );
  if (input.sheet) {
    const sheet = input.sheet;
    container.addMediaGalleryComponents((g) => g.addItems((item) => item.setURL(`attachment://${sheet.name}`).setDescription('Contact sheet of the hits, numbered')));
  }
  const id = (action: ControlAction) => encodeControlId({ action, ref: input.ref, round: round.index });
  const rows: ActionRowBuilder<MessageActionRowComponentBuilder>[] = [
    new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
      new ButtonBuilder().setCustomId(id('refine')).setLabel('Refine').setStyle(ButtonStyle.Primary),
      new ButtonBuilder().setCustomId(id('reroll')).setLabel('Reroll').setStyle(ButtonStyle.Secondary),
      new ButtonBuilder().setCustomId(id('stop')).setLabel('Stop').setStyle(ButtonStyle.Danger),
    ),
  ];
  if (hits.length > 0) {
    const options = hits.map((hit) => ({ label: hitLabel(hit, input.channelName), value: String(hit.rank + 1) }));
    const select = (action: ControlAction, placeholder: string, max: number) =>
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new StringSelectMenuBuilder().setCustomId(id(action)).setPlaceholder(placeholder).setMinValues(1).setMaxValues(max).addOptions(options),
      );
    rows.push(
      select('closer', 'Closer to… (hits that look more like it)', options.length),
      select('not', 'Not these (never show them again)', options.length),
      select('found', 'Found it!', 1),
    );
  }
  const files = [...input.synthetic, ...(input.sheet ? [input.sheet] : [])];
  return v2Message([container, ...rows], files, input.attachmentLimit);
}

function feedbackText(feedback: Feedback): string | undefined {
  switch (feedback.kind) {
    case 'synthetic':
      return '**What Mirage pictured** from your description. Where it differs from the image you remember, say so with **Refine**.';
    case 'question':
      return `**Mirage asks:** ${clip(feedback.text, 500)}\nAnswer by adding it to your description with **Refine**.`;
    case 'top1':
      return '**Best match so far:** hit #1 below. Tell Mirage what differs from the image you remember with **Refine**.';
    case 'none':
      return undefined;
  }
}
