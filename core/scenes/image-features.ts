import type { RawImage } from '../images/raw-image.js';
import { resampleToLinearRgb } from './area-resample.js';
import { foreground, rowMedians } from './background-model.js';
import { COLOUR_NAME_COUNT, weightedColourNames } from './colour-names.js';
import { linearRgbImageToLab } from './colour-space.js';
import { ORIENTATION_BINS, orientationMap } from './edge-features.js';
import { EXTENT_CHANNELS, extentMap } from './extent-features.js';
import { cellPooling, poolCells } from './spatial-pooling.js';

/**
 * One block of the feature vector.
 * - background: the per-row background colour (see background-model.ts), averaged into bands.
 * - layout: mean CIELAB per cell of the whole picture.
 * - objectColours: colour-name histogram of object (non-background) pixels per cell.
 * - objectEdges: gradient-orientation histogram of the object residual per cell.
 * - objectExtents: octave histogram of object run lengths per cell (see extent-features.ts).
 * `grid` is bands for background, cells per side otherwise. `share` is the block's weight.
 */
export interface FeatureBlock {
  readonly kind: 'background' | 'layout' | 'objectColours' | 'objectEdges' | 'objectExtents';
  readonly grid: number;
  readonly share: number;
}

/**
 * How the Scenes image features are laid out. Each block is L2-normalised on its own and then
 * scaled by sqrt(share / total share), so the cosine similarity of two feature vectors is the
 * share-weighted mean of the per-block cosines: a block's share is exactly its say in the
 * ranking, whatever its dimension or how much of the image is flat sky.
 */
export interface SceneFeatureConfig {
  /** Side of the working grid every image is area-averaged onto. */
  readonly workingSize: number;
  /** Exponent applied to histogram masses (0.5 = square root), so small objects still count. */
  readonly histogramPower: number;
  readonly blocks: readonly FeatureBlock[];
}

export const DEFAULT_FEATURE_CONFIG: SceneFeatureConfig = {
  workingSize: 96,
  histogramPower: 0.5,
  blocks: [
    { kind: 'background', grid: 16, share: 0.15 },
    { kind: 'layout', grid: 6, share: 0.1 },
    { kind: 'objectColours', grid: 3, share: 0.4 },
    { kind: 'objectColours', grid: 1, share: 0.05 },
    { kind: 'objectEdges', grid: 3, share: 0.3 },
    { kind: 'objectExtents', grid: 3, share: 0.1 },
  ],
};

const CHANNELS: { readonly [K in FeatureBlock['kind']]: number } = {
  background: 3,
  layout: 3,
  objectColours: COLOUR_NAME_COUNT,
  objectEdges: ORIENTATION_BINS,
  objectExtents: EXTENT_CHANNELS,
};

function blockDimension(block: FeatureBlock): number {
  return block.kind === 'background' ? block.grid * 3 : block.grid * block.grid * CHANNELS[block.kind];
}

export function featureDimension(config: SceneFeatureConfig): number {
  return config.blocks.reduce((sum, block) => sum + blockDimension(block), 0);
}

/** The per-pixel maps of one image that blocks pool from, each computed once on demand. */
class PixelMaps {
  private cache = new Map<string, Float32Array>();
  readonly lab: Float32Array;
  readonly rows: Float32Array;
  readonly residual: Float32Array;
  readonly objectWeight: Float32Array;

  constructor(image: RawImage, readonly size: number) {
    this.lab = linearRgbImageToLab(resampleToLinearRgb(image, size));
    this.rows = rowMedians(this.lab, size);
    const { residual, weight } = foreground(this.lab, this.rows, size);
    this.residual = residual;
    this.objectWeight = weight;
  }

  map(kind: Exclude<FeatureBlock['kind'], 'background'>): Float32Array {
    let map = this.cache.get(kind);
    if (map === undefined) {
      map = this.compute(kind);
      this.cache.set(kind, map);
    }
    return map;
  }

  private compute(kind: Exclude<FeatureBlock['kind'], 'background'>): Float32Array {
    switch (kind) {
      case 'layout':
        return this.lab;
      case 'objectColours':
        return weightedColourNames(this.lab, this.objectWeight);
      case 'objectEdges':
        return orientationMap(this.residual, this.size);
      case 'objectExtents':
        return extentMap(this.objectWeight, this.size);
    }
  }
}

/** Precomputed pooling tables for one config, reused for every image. */
export class SceneFeatureExtractor {
  readonly dim: number;
  private readonly poolings;
  private readonly totalShare: number;

  constructor(readonly config: SceneFeatureConfig = DEFAULT_FEATURE_CONFIG) {
    this.dim = featureDimension(config);
    this.poolings = config.blocks.map((block) => cellPooling(config.workingSize, block.grid));
    this.totalShare = config.blocks.reduce((sum, block) => sum + block.share, 0);
  }

  /** The L2-normalised feature vector of one image. */
  extract(image: RawImage): Float32Array {
    const { workingSize: size, histogramPower, blocks } = this.config;
    const maps = new PixelMaps(image, size);
    const out = new Float32Array(this.dim);
    let offset = 0;
    blocks.forEach((block, b) => {
      let values: Float32Array;
      if (block.kind === 'background') {
        values = centreLab(bandMeans(maps.rows, size, block.grid));
      } else {
        const pooling = this.poolings[b]!;
        const channels = CHANNELS[block.kind];
        values = poolCells(maps.map(block.kind), channels, pooling);
        for (let c = 0; c < pooling.cellMass.length; c++) {
          const mass = pooling.cellMass[c]!;
          for (let k = 0; k < channels; k++) values[c * channels + k]! /= mass;
        }
        if (block.kind === 'layout') centreLab(values);
        else powerInPlace(values, histogramPower);
      }
      normaliseInPlace(values, Math.sqrt(block.share / this.totalShare));
      out.set(values, offset);
      offset += values.length;
    });
    // Blocks that are all zero (no objects in a flat image) leave the total short of 1.
    return normaliseInPlace(out, 1);
  }
}

/** Means of consecutive rows of a size x 3 profile, in `bands` equal bands. */
function bandMeans(rows: Float32Array, size: number, bands: number): Float32Array {
  const out = new Float32Array(bands * 3);
  const count = new Float32Array(bands);
  for (let y = 0; y < size; y++) {
    const band = Math.floor((y * bands) / size);
    count[band]! += 1;
    for (let c = 0; c < 3; c++) out[band * 3 + c]! += rows[y * 3 + c]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= Math.max(1, count[(i / 3) | 0]!);
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

function powerInPlace(values: Float32Array, power: number): void {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! ** power;
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
