import sharp from 'sharp';
import type { EncodedImage } from '../../../core/images/raw-image.js';

export type Rgb = readonly [number, number, number];
export const RED: Rgb = [210, 30, 30];
export const BLUE: Rgb = [30, 40, 220];
export const GREEN: Rgb = [20, 190, 60];

export async function solidPng([r, g, b]: Rgb, width: number, height: number): Promise<EncodedImage> {
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, mime: 'image/png', width: info.width, height: info.height };
}

/** Decodes a data URL the way a server would and reports what picture it carries. */
export async function pictureIn(url: string) {
  const match = /^data:(image\/[a-z]+);base64,(.+)$/.exec(url);
  if (!match?.[2]) throw new Error(`not a data URL: ${url.slice(0, 40)}`);
  const bytes = Buffer.from(match[2], 'base64');
  const meta = await sharp(bytes).metadata();
  const { data } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { mime: match[1], format: meta.format, width: meta.width, height: meta.height, rgb: [data[0], data[1], data[2]] };
}
