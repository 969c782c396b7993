/** Decoded, 8-bit, interleaved RGB pixels: the only thing an embedder ever sees. */
export interface RawImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp';

export interface EncodedImage {
  readonly bytes: Buffer;
  readonly mime: ImageMime;
  readonly width: number;
  readonly height: number;
}
