import { transcodeImage } from '../../images/encode.js';
import type { EncodedImage } from '../../images/raw-image.js';

/** PNG bytes of an image: artefacts are all PNG so that readers need one decoder. */
export async function pngBytes(image: EncodedImage): Promise<Buffer> {
  return image.mime === 'image/png' ? image.bytes : (await transcodeImage(image.bytes, { mime: 'image/png' })).bytes;
}
