import type { Engine } from '../ports/engine.js';
import { transcodeImage } from '../images/encode.js';
import type { EncodedImage } from '../images/raw-image.js';
import type { Round } from '../session/session.js';

/** The round's synthetic images as PNG (none unless its feedback is generative), in sample order. */
export async function syntheticPngs(images: Pick<Engine, 'getImage'>, round: Round): Promise<EncodedImage[]> {
  if (round.feedback.kind !== 'synthetic') return [];
  return Promise.all(
    round.feedback.images.map(async ({ id }) => {
      const image = await images.getImage({ kind: 'synthetic', id });
      return image.mime === 'image/png' ? image : transcodeImage(image.bytes, { mime: 'image/png' });
    }),
  );
}
