/**
 * sRGB -> CIELAB (D65). The Scenes embedder compares colours in CIELAB because equal distances
 * there are roughly equal perceived differences, so "red vs orange" and "dark vs light sky"
 * weigh about as much as a person would weigh them.
 */

/** sRGB byte -> linear-light intensity in [0, 1]; averaging is done in linear light. */
export const SRGB_TO_LINEAR: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    table[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return table;
})();

// D65 reference white.
const XN = 0.95047;
const YN = 1.0;
const ZN = 1.08883;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

/**
 * Writes L* (0..100), a*, b* (about -128..127) of one linear-light RGB colour into out at
 * offset.
 */
export function linearRgbToLab(r: number, g: number, b: number, out: Float32Array, offset: number): void {
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / XN;
  const y = (0.2126729 * r + 0.7151522 * g + 0.072175 * b) / YN;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / ZN;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  out[offset] = 116 * fy - 16;
  out[offset + 1] = 500 * (fx - fy);
  out[offset + 2] = 200 * (fy - fz);
}

/** CIELAB of an sRGB byte triple. */
export function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  const out = new Float32Array(3);
  linearRgbToLab(SRGB_TO_LINEAR[r]!, SRGB_TO_LINEAR[g]!, SRGB_TO_LINEAR[b]!, out, 0);
  return [out[0]!, out[1]!, out[2]!];
}

/** Converts a size*size linear RGB plane (interleaved) into interleaved CIELAB. */
export function linearRgbImageToLab(rgb: Float32Array): Float32Array {
  const lab = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const r = rgb[i]!;
    const g = rgb[i + 1]!;
    const b = rgb[i + 2]!;
    // Rows of sky and ground are mostly runs of one colour: a pixel like its left neighbour
    // takes that neighbour's CIELAB (the same function of the same inputs) without the cube roots.
    if (i > 0 && r === rgb[i - 3] && g === rgb[i - 2] && b === rgb[i - 1]) {
      lab[i] = lab[i - 3]!;
      lab[i + 1] = lab[i - 2]!;
      lab[i + 2] = lab[i - 1]!;
    } else {
      linearRgbToLab(r, g, b, lab, i);
    }
  }
  return lab;
}
