import { MirageError } from '../../errors.js';
import type { EncodedImage } from '../../images/raw-image.js';
import type { ShownFeedback } from '../searcher.js';

/**
 * The one image visual feedback puts in front of the user: the first synthetic image (the
 * published loop drew one per round, so with several samples the first stands in for it), or the
 * top-1 hit.
 */
export function feedbackImage(shown: ShownFeedback, kind: 'synthetic' | 'top1'): EncodedImage {
  const image = kind === 'synthetic' ? shown.synthetic[0]?.image : shown.top1?.image;
  if (image) return image;
  const what = kind === 'synthetic' ? 'synthetic feedback came with no synthetic image' : 'top-1 feedback came without the top-1 image';
  throw new MirageError('INVALID_INPUT', `Cannot refine round ${shown.round}: ${what}.`);
}
