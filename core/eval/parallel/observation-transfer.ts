import type { EncodedImage } from '../../images/raw-image.js';
import type { EpisodeObservation } from '../episode-options.js';

/** Copying between threads turns a Buffer into a plain Uint8Array; image users expect Buffers. */
function revive(image: EncodedImage): EncodedImage {
  const bytes: Uint8Array = image.bytes;
  return Buffer.isBuffer(bytes) ? image : { ...image, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** An observation as posted by a worker thread, with its images' bytes Buffers again. */
export function reviveObservation(observation: EpisodeObservation): EpisodeObservation {
  const { target, shown } = observation;
  return {
    ...observation,
    target: { ...target, image: revive(target.image) },
    shown: {
      ...shown,
      synthetic: shown.synthetic.map((s) => ({ ...s, image: revive(s.image) })),
      ...(shown.top1 ? { top1: { ...shown.top1, image: revive(shown.top1.image) } } : {}),
    },
  };
}
