import type { EncodedImage } from '../images/raw-image.js';

/** Holds synthetic images so that rounds can refer to them by id. */
export interface BlobStore {
  put(id: string, image: EncodedImage): Promise<void>;
  get(id: string): Promise<EncodedImage | undefined>;
  /** Deleting an absent id does nothing. */
  delete(id: string): Promise<void>;
}
