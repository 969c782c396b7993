import { clientImage } from '../../core/images/client-image.js';
import type { EncodedImage } from '../../core/images/raw-image.js';
import type { Engine } from '../../core/ports/engine.js';
import type { Round } from '../../core/session/session.js';
import { renderRoundSheet } from '../../core/turns/round-sheet.js';
import { syntheticPngs } from '../../core/turns/synthetic-images.js';
import type { MessageFile } from '../views/message-payload.js';

const EXTENSIONS = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;

/**
 * An image Mirage drew itself (a synthetic image, a contact sheet) as a file for Discord: sent
 * as it is when it fits the size limit (it carries no metadata), re-encoded smaller otherwise.
 */
async function ownImage(name: string, image: EncodedImage, maxBytes: number): Promise<MessageFile> {
  const fitted = image.bytes.byteLength <= maxBytes ? image : await clientImage(image.bytes, { maxBytes });
  return { name: `${name}.${EXTENSIONS[fitted.mime]}`, bytes: Buffer.from(fitted.bytes) };
}

/**
 * An archive image (someone's upload) as a file for Discord: always re-encoded by clientImage,
 * so that no EXIF, GPS or XMP data of the original reaches the channel; the original stays on
 * disk, and is read only when its turn to be encoded comes. `spoiler` names it SPOILER_…, which
 * Discord shows blurred.
 */
export async function archiveImageFile(name: string, load: () => Promise<EncodedImage>, maxBytes: number, spoiler: boolean): Promise<MessageFile> {
  const fitted = await clientImage(async () => (await load()).bytes, { maxBytes });
  return { name: `${spoiler ? 'SPOILER_' : ''}${name}.${EXTENSIONS[fitted.mime]}`, bytes: Buffer.from(fitted.bytes) };
}

/** The files a round shows: its synthetic images and the numbered contact sheet of its hits (`engine` as its member sees it). */
export async function roundFiles(
  engine: Engine,
  archive: string,
  round: Round,
  maxBytes: number,
): Promise<{ synthetic: MessageFile[]; sheet?: MessageFile }> {
  const synthetic = await Promise.all((await syntheticPngs(engine, round)).map((png, i) => ownImage(`synthetic-${i + 1}`, png, maxBytes)));
  const sheet = await renderRoundSheet(engine, { archive }, round);
  return { synthetic, ...(sheet ? { sheet: await ownImage('hits', sheet, maxBytes) } : {}) };
}
