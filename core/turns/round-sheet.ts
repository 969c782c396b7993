import type { Engine } from '../ports/engine.js';
import type { EncodedImage } from '../images/raw-image.js';
import type { Round, Session } from '../session/session.js';
import { renderContactSheet, type ContactSheetOptions } from '../render/contact-sheet.js';

export interface RoundSheetOptions extends Omit<ContactSheetOptions, 'title'> {
  /** Hits shown; the rest of the round is only listed as text. */
  readonly max?: number;
}

export const DEFAULT_SHEET_HITS = 10;

/**
 * The contact sheet of one round: its top hits' thumbnails numbered as in the hits table,
 * labelled with their scores, titled with the round and description. Undefined for a round
 * without hits (an empty archive, or everything excluded).
 */
export async function renderRoundSheet(
  images: Pick<Engine, 'getImage'>,
  session: Pick<Session, 'archive'>,
  round: Round,
  options: RoundSheetOptions = {},
): Promise<EncodedImage | undefined> {
  const { max = DEFAULT_SHEET_HITS, ...layout } = options;
  const shown = round.hits.slice(0, max);
  if (shown.length === 0) return undefined;
  const items = await Promise.all(
    shown.map(async (hit) => ({
      image: await images.getImage({ kind: 'archive', archive: session.archive, id: hit.id }, 'thumb'),
      label: hit.score.toFixed(3),
    })),
  );
  return renderContactSheet(items, { ...layout, title: `Round ${round.index + 1}: ${round.query}` });
}
