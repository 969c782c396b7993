import sharp from 'sharp';
import { invalidInput } from '../errors.js';
import type { RawImage } from '../images/raw-image.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';
import { KIND_SHAPES } from './kind-shapes.js';
import { GROUND_RGB, hex, LIGHT, mix, paintOf, scale, SKY_RGB, WEATHER_LIGHT, WEATHER_SKY, type Paint, type Rgb } from './palette.js';
import { sceneSchema, type Scene, type SceneObject } from './scene.js';
import { COLOURS, MAX_COUNT, POSITIONS, type Colour, type Ground, type Size } from './vocabulary.js';

/**
 * Draws a scene as SVG (in a 100 x 100 view box) and rasterises it with sharp. The layout is
 * the scene's 3x3 grid: the top row is sky, the horizon sits just above the middle row.
 *
 * jitterSeed adds nuisance variation of under 2% of the image (a shift of everything, of the
 * horizon, and of each object's place, scale and tilt), the way two photos of one scene differ.
 * It is kept well below the change any single attribute makes, so that a re-render still looks
 * more like its scene than a near-duplicate does.
 */

export const DEFAULT_RENDER_SIZE = 256;
const MIN_RENDER_SIZE = 16;
const MAX_RENDER_SIZE = 2048;

const CELL = 100 / 3;
const HORIZON = 38;
/** Space kept between an object and the picture's edge. */
const MARGIN = 1.5;

/** Half-extent of a single object, as a share of half a cell. */
const SIZE_SCALE: { readonly [S in Size]: number } = { small: 0.46, medium: 0.74, large: 1.08 };

/** Copies side by side within the cell: how much each shrinks and where each sits (in cells). */
const COUNT_LAYOUT: readonly { readonly scale: number; readonly offsets: readonly number[] }[] = [
  { scale: 1, offsets: [0] },
  { scale: 0.66, offsets: [-0.26, 0.26] },
  { scale: 0.5, offsets: [-0.37, 0, 0.37] },
];

const PAINTS = Object.fromEntries(COLOURS.map((c) => [c, paintOf(c)])) as { readonly [C in Colour]: Paint };

const n = (v: number) => String(Math.round(v * 100) / 100);

/** A dot as a subpath, so that hundreds of them fill as one path (far cheaper than circles). */
const dot = (x: number, y: number, r: number) => `M${n(x - r)} ${n(y)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0`;

/** Fixed layouts of stars, raindrops and snowflakes: the weather is a fact, its exact drops are not. */
const layout = new Prng(deriveSeed('scenes-renderer-layout'));
const STARS = Array.from({ length: 28 }, () => dot(layout.next() * 100, layout.next() * (HORIZON - 4), 0.3 + layout.next() * 0.35)).join('');
const RAIN = Array.from({ length: 70 }, () => `M${n(layout.next() * 112 - 4)} ${n(layout.next() * 108 - 8)}l-1.6 5.5`).join('');
const SNOWFLAKES = Array.from({ length: 80 }, () => dot(layout.next() * 104 - 2, layout.next() * 104 - 2, 0.45 + layout.next() * 0.5)).join('');

const GROUND_DETAIL: { readonly [G in Ground]: (horizon: number) => string } = {
  grass: (h) =>
    `<path d="${[12, 31, 52, 70, 88, 22, 61, 80, 41]
      .map((x, i) => `M${x} ${n(h + 8 + (i % 3) * 17 + (i > 4 ? 9 : 0))}l1 -2.2l1 2.2l1 -2.2l1 2.2`)
      .join('')}" stroke="#2f6e2a" stroke-width="0.5" fill="none" opacity="0.7"/>`,
  sand: (h) =>
    `<path d="M-2 ${n(h + 20)}Q25 ${n(h + 14)} 50 ${n(h + 21)}T102 ${n(h + 18)}M-2 ${n(h + 44)}Q30 ${n(h + 38)} 60 ${n(h + 45)}T102 ${n(h + 42)}" stroke="#c9ad68" stroke-width="0.8" fill="none"/>`,
  water: (h) =>
    `<path d="${[0, 1, 2, 3, 4]
      .map((row) => `M${row % 2 ? -4 : 2} ${n(h + 6 + row * 12)}q3 -1.6 6 0t6 0t6 0m14 0q3 -1.6 6 0t6 0t6 0m14 0q3 -1.6 6 0t6 0`)
      .join('')}" stroke="#9fd0f5" stroke-width="0.6" fill="none" opacity="0.8"/>`,
  snow: (h) =>
    `<path d="M-2 ${n(h + 24)}Q30 ${n(h + 17)} 62 ${n(h + 25)}T104 ${n(h + 21)}M-2 ${n(h + 47)}Q40 ${n(h + 40)} 70 ${n(h + 48)}T104 ${n(h + 45)}" stroke="#c5d3e6" stroke-width="1.2" fill="none"/>`,
  road: (h) =>
    `<path d="M-2 ${n(h + 1.2)}H102M-2 98.5H102" stroke="#d8d8d8" stroke-width="0.8"/>` +
    `<path d="M-2 ${n(h + 35)}H102" stroke="#f2f2f2" stroke-width="1.6" stroke-dasharray="8 6"/>`,
};

interface Jitter {
  readonly dx: number;
  readonly dy: number;
  readonly horizon: number;
  readonly skyLight: number;
  readonly rng: Prng;
}

export function sceneToSvg(scene: Scene, size: number, jitterSeed: number): string {
  const rng = new Prng(jitterSeed);
  const jitter: Jitter = {
    dx: (rng.next() - 0.5) * 1.6,
    dy: (rng.next() - 0.5) * 1.6,
    horizon: (rng.next() - 0.5) * 1.6,
    skyLight: 1 + (rng.next() - 0.5) * 0.06,
    rng,
  };
  const horizon = HORIZON + jitter.horizon;
  const objects = [...scene.objects].sort((a, b) => rowOf(a) - rowOf(b));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">` +
    sky(scene, jitter) +
    `<rect x="-5" y="${n(horizon)}" width="110" height="${n(105 - horizon)}" fill="${hex(scale(GROUND_RGB[scene.ground], LIGHT[scene.time] * WEATHER_LIGHT[scene.weather]))}"/>` +
    GROUND_DETAIL[scene.ground](horizon) +
    `<g transform="translate(${n(jitter.dx)} ${n(jitter.dy)})">${objects.map((o) => drawObject(o, jitter.rng)).join('')}</g>` +
    weatherOverlay(scene, jitter) +
    '</svg>'
  );
}

export async function renderScene(scene: Scene, options: { size?: number; jitterSeed?: number } = {}): Promise<RawImage> {
  const size = options.size ?? DEFAULT_RENDER_SIZE;
  if (!Number.isInteger(size) || size < MIN_RENDER_SIZE || size > MAX_RENDER_SIZE) {
    throw invalidInput(`Render size must be a whole number of pixels from ${MIN_RENDER_SIZE} to ${MAX_RENDER_SIZE}, got ${size}.`);
  }
  const checked = sceneSchema.safeParse(scene);
  if (!checked.success) throw invalidInput(`Not a valid scene: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const svg = sceneToSvg(checked.data, size, options.jitterSeed ?? 0);
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

function rowOf(object: SceneObject): number {
  return Math.floor(POSITIONS.indexOf(object.position) / 3);
}

function sky(scene: Scene, jitter: Jitter): string {
  const [toward, amount] = WEATHER_SKY[scene.weather];
  const light = scene.time === 'night' ? 0.3 : LIGHT[scene.time];
  const grey = scale(toward, light);
  const shade = (c: Rgb) => hex(scale(mix(c, grey, amount), jitter.skyLight));
  const [zenith, horizon] = SKY_RGB[scene.time];
  const stars = scene.time === 'night' && scene.weather === 'clear' ? `<path d="${STARS}" fill="#ffffff" opacity="0.85"/>` : '';
  return (
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${shade(zenith)}"/>` +
    `<stop offset="0.4" stop-color="${shade(horizon)}"/></linearGradient></defs><rect width="100" height="100" fill="url(#sky)"/>${stars}`
  );
}

function drawObject(object: SceneObject, rng: Prng): string {
  const index = POSITIONS.indexOf(object.position);
  const copies = COUNT_LAYOUT[Math.min(object.count, MAX_COUNT) - 1] ?? COUNT_LAYOUT[0]!;
  const r = (CELL / 2) * SIZE_SCALE[object.size] * copies.scale;
  // Large things in an edge cell would overflow the picture: pull them in until they fit.
  const halfWidth = Math.max(...copies.offsets) * CELL + r;
  const cx = clamp(((index % 3) + 0.5) * CELL, halfWidth + MARGIN, 100 - halfWidth - MARGIN) + (rng.next() - 0.5) * 1.6;
  const cy = clamp((Math.floor(index / 3) + 0.5) * CELL, r + MARGIN, 100 - r - MARGIN) + (rng.next() - 0.5) * 1.6;
  const scaleJitter = 1 + (rng.next() - 0.5) * 0.08;
  const tilt = (rng.next() - 0.5) * 4;
  const shape = KIND_SHAPES[object.kind](PAINTS[object.colour], object.attributes);
  return copies.offsets
    .map((offset) => `<g transform="translate(${n(cx + offset * CELL)} ${n(cy)}) rotate(${n(tilt)}) scale(${n(r * scaleJitter)})">${shape}</g>`)
    .join('');
}

const clamp = (v: number, low: number, high: number) => Math.min(Math.max(v, low), high);

function weatherOverlay(scene: Scene, jitter: Jitter): string {
  const shift = `transform="translate(${n(jitter.dx)} ${n(jitter.dy)})"`;
  switch (scene.weather) {
    case 'rainy':
      return `<path ${shift} d="${RAIN}" stroke="#dfe7f0" stroke-width="0.35" opacity="0.75"/>`;
    case 'snowy':
      return `<path ${shift} d="${SNOWFLAKES}" fill="#ffffff" opacity="0.9"/>`;
    case 'foggy':
      return `<rect width="100" height="100" fill="#e4e7ea" opacity="0.38"/><rect y="${n(HORIZON - 8 + jitter.dy)}" width="100" height="16" fill="#eef0f2" opacity="0.35"/>`;
    default:
      return '';
  }
}
