/**
 * Limits applied to every image Mirage decodes from outside. A decompression bomb or a huge
 * scan must fail fast with a clear message instead of exhausting memory for every user.
 */
export interface ImageLimits {
  /** Largest width * height accepted (sharp's limitInputPixels). */
  readonly maxPixels: number;
  /** Largest encoded file accepted, in bytes. */
  readonly maxBytes: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxPixels: 50_000_000,
  maxBytes: 64 * 1024 * 1024,
};

/** Longest side of every thumbnail Mirage makes: archive images and synthetic images alike. */
export const THUMBNAIL_SIZE = 96;
