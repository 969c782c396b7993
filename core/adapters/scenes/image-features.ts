import type { RawImage } from '../../images/raw-image.js';
import { resampleToLinearRgb } from './area-resample.js';
import { foreground, rowMedians } from './background-model.js';
import { COLOUR_NAME_COUNT, colourNameMemberships } from './colour-names.js';
import { linearRgbImageToLab } from './colour-space.js';
import { ORIENTATION_BINS, orientationMap } from './edge-features.js';
import { cellPooling, poolCells, type CellPooling } from './spatial-pooling.js';

/**
 * How the Scenes image features are laid out. Each block is L2-normalised on its own and then
 * scaled by sqrt(share), so the cosine similarity of two feature vectors is the share-weighted
 * mean of the per-block cosines: a block's share is exactly its say in the ranking, whatever
 * its dimension or how much of the image is flat sky.
 */
export interface SceneFeatureConfig {
  /** Side of the working grid every image is area-averaged onto. */
  readonly workingSize: number;
  /** Horizontal bands of the background profile block. */
  readonly backgroundBands: number;
  /** Grid of the colour layout block (mean CIELAB per cell). */
  readonly layoutCells: number;
  /** Grid of the foreground colour-name histogram block. */
  readonly objectColourCells: number;
  /** Grid of the foreground edge-orientation histogram block. */
  readonly objectEdgeCells: number;
  /** Exponent applied to histogram masses (0.5 = signed square root). */
  readonly histogramPower: number;
  readonly shares: {
    readonly background: number;
    readonly layout: number;
    readonly objectColours: number;
    readonly globalObjectColours: number;
    readonly objectEdges: number;
  };
}

export const DEFAULT_FEATURE_CONFIG: SceneFeatureConfig = {
  workingSize: 64,
  backgroundBands: 16,
  layoutCells: 8,
  objectColourCells: 6,
  objectEdgeCells: 6,
  histogramPower: 0.5,
  shares: { background: 0.15, layout: 0.1, objectColours: 0.4, globalObjectColours: 0.05, objectEdges: 0.3 },
};

export function featureDimension(config: SceneFeatureConfig): number {
  return (
    config.backgroundBands * 3 +
    config.layoutCells ** 2 * 3 +
    config.objectColourCells ** 2 * COLOUR_NAME_COUNT +
    COLOUR_NAME_COUNT +
    config.objectEdgeCells ** 2 * ORIENTATION_BINS
  );
}

/** Precomputed pooling tables for one config, reused for every image. */
export class SceneFeatureExtractor {
  readonly dim: number;
  private readonly layoutPooling: CellPooling;
  private readonly colourPooling: CellPooling;
  private readonly edgePooling: CellPooling;

  constructor(readonly config: SceneFeatureConfig = DEFAULT_FEATURE_CONFIG) {
    this.dim = featureDimension(config);
    this.layoutPooling = cellPooling(config.workingSize, config.layoutCells);
    this.colourPooling = cellPooling(config.workingSize, config.objectColourCells);
    this.edgePooling = cellPooling(config.workingSize, config.objectEdgeCells);
  }

  /** The L2-normalised feature vector of one image. */
  extract(image: RawImage): Float32Array {
    const { workingSize: size, histogramPower: power, shares } = this.config;
    const lab = linearRgbImageToLab(resampleToLinearRgb(image, size));
    const rows = rowMedians(lab, size);
    const { residual, weight } = foreground(lab, rows, size);
    const objectNames = colourNameMemberships(lab);
    for (let i = 0; i < objectNames.length; i++) objectNames[i]! *= weight[(i / COLOUR_NAME_COUNT) | 0]!;

    const background = centreLab(bandMeans(rows, size, this.config.backgroundBands));
    const layout = centreLab(cellMeans(poolCells(lab, 3, this.layoutPooling), 3, this.layoutPooling));
    const objectColours = cellMeans(poolCells(objectNames, COLOUR_NAME_COUNT, this.colourPooling), COLOUR_NAME_COUNT, this.colourPooling);
    const globalObjectColours = channelMeans(objectNames, COLOUR_NAME_COUNT);
    const objectEdges = cellMeans(poolCells(orientationMap(residual, size), ORIENTATION_BINS, this.edgePooling), ORIENTATION_BINS, this.edgePooling);

    const out = new Float32Array(this.dim);
    let offset = 0;
    for (const [block, share, powered] of [
      [background, shares.background, false],
      [layout, shares.layout, false],
      [objectColours, shares.objectColours, true],
      [globalObjectColours, shares.globalObjectColours, true],
      [objectEdges, shares.objectEdges, true],
    ] as const) {
      if (powered) powerInPlace(block, power);
      normaliseInPlace(block, Math.sqrt(share));
      out.set(block, offset);
      offset += block.length;
    }
    // Blocks that are all zero (no objects in a flat image) leave the total short of 1.
    return normaliseInPlace(out, 1);
  }
}

/** Means of consecutive rows of a size x 3 profile, in `bands` equal bands. */
function bandMeans(rows: Float32Array, size: number, bands: number): Float32Array {
  const out = new Float32Array(bands * 3);
  for (let y = 0; y < size; y++) {
    const band = Math.floor((y * bands) / size);
    for (let c = 0; c < 3; c++) out[band * 3 + c]! += rows[y * 3 + c]!;
  }
  const perBand = size / bands;
  for (let i = 0; i < out.length; i++) out[i]! /= perBand;
  return out;
}

/** Centres lightness and scales to about unit range, so mid-grey is not one big shared offset. */
function centreLab(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i += 3) {
    values[i] = (values[i]! - 50) / 100;
    values[i + 1]! /= 100;
    values[i + 2]! /= 100;
  }
  return values;
}

function cellMeans(sums: Float32Array, channels: number, pooling: CellPooling): Float32Array {
  for (let c = 0; c < pooling.cellMass.length; c++) {
    const mass = pooling.cellMass[c]!;
    for (let k = 0; k < channels; k++) sums[c * channels + k]! /= mass;
  }
  return sums;
}

function channelMeans(map: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(channels);
  const pixels = map.length / channels;
  for (let i = 0; i < map.length; i++) out[i % channels]! += map[i]!;
  for (let k = 0; k < channels; k++) out[k]! /= pixels;
  return out;
}

function powerInPlace(values: Float32Array, power: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    values[i] = Math.sign(v) * Math.abs(v) ** power;
  }
}

/** Scales to the given L2 norm; an all-zero vector stays zero rather than becoming NaN. */
export function normaliseInPlace(values: Float32Array, norm: number): Float32Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  if (sum <= 0) return values;
  const scale = norm / Math.sqrt(sum);
  for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return values;
}

