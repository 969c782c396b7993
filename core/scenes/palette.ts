import type { Colour, Ground, TimeOfDay, Weather } from './vocabulary.js';

/** An sRGB colour as [r, g, b], 0..255. */
export type Rgb = readonly [number, number, number];

/**
 * Saturated, well-separated swatches for the colour words, so that a pixel embedder (and a
 * person) can tell "orange" from "red" and "grey" from "white" on any background.
 */
export const COLOUR_RGB: { readonly [C in Colour]: Rgb } = {
  red: [214, 40, 40],
  orange: [247, 127, 0],
  yellow: [246, 210, 20],
  green: [42, 157, 58],
  blue: [31, 95, 214],
  purple: [123, 44, 191],
  pink: [255, 126, 182],
  brown: [139, 90, 43],
  black: [26, 26, 26],
  white: [245, 245, 245],
  grey: [141, 141, 141],
};

/** Sky at the zenith and at the horizon, per time of day. */
export const SKY_RGB: { readonly [T in TimeOfDay]: readonly [Rgb, Rgb] } = {
  day: [[88, 168, 235], [178, 220, 250]],
  sunset: [[118, 82, 150], [250, 150, 80]],
  night: [[8, 14, 40], [30, 44, 84]],
  dawn: [[150, 180, 225], [250, 200, 200]],
};

/** How bright the land is at each time of day. */
export const LIGHT: { readonly [T in TimeOfDay]: number } = { day: 1, sunset: 0.78, night: 0.42, dawn: 0.86 };

/** The grey that weather pulls the sky towards, and how far. */
export const WEATHER_SKY: { readonly [W in Weather]: readonly [Rgb, number] } = {
  clear: [[0, 0, 0], 0],
  cloudy: [[160, 165, 172], 0.7],
  rainy: [[100, 108, 120], 0.65],
  foggy: [[205, 208, 212], 0.65],
  snowy: [[200, 205, 214], 0.55],
};

/** Overcast dims the land a little. */
export const WEATHER_LIGHT: { readonly [W in Weather]: number } = { clear: 1, cloudy: 0.88, rainy: 0.8, foggy: 0.95, snowy: 0.92 };

export const GROUND_RGB: { readonly [G in Ground]: Rgb } = {
  grass: [86, 164, 70],
  sand: [230, 205, 140],
  water: [40, 118, 190],
  snow: [240, 244, 250],
  road: [88, 88, 92],
};

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function scale(c: Rgb, factor: number): Rgb {
  return [c[0] * factor, c[1] * factor, c[2] * factor];
}

export function luminance(c: Rgb): number {
  return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;
}

export function hex(c: Rgb): string {
  const channel = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${channel(c[0])}${channel(c[1])}${channel(c[2])}`;
}

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];
const STORM: Rgb = [40, 44, 56];

/** Shades one object is painted with: its colour, a darker and a lighter one, and an outline. */
export interface Paint {
  readonly colour: Colour;
  readonly fill: string;
  readonly dark: string;
  readonly light: string;
  /** Dark on light colours, light on dark ones, so black things stay visible at night. */
  readonly outline: string;
  /** Storm shade of the colour: what a "dark" cloud of this colour looks like. */
  readonly shadow: string;
  readonly isDark: boolean;
}

export function paintOf(colour: Colour): Paint {
  const c = COLOUR_RGB[colour];
  const isDark = luminance(c) < 0.2;
  return {
    colour,
    fill: hex(c),
    dark: hex(isDark ? mix(c, WHITE, 0.25) : mix(c, BLACK, 0.4)),
    light: hex(mix(c, WHITE, 0.45)),
    outline: hex(isDark ? mix(c, WHITE, 0.5) : mix(c, BLACK, 0.55)),
    shadow: hex(mix(c, STORM, 0.6)),
    isDark,
  };
}
