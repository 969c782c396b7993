import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MirageError } from '../../errors.js';
import { fromHalf, toHalf } from '../../vectors/float16.js';
import { hashedFeatures } from './text-features.js';

/** The feature scheme of text-features.ts; a tower trained on another scheme cannot be loaded. */
export const TEXT_FEATURES_ID = 'fnv1a32-unigram-bigram-l2';
export const TEXT_TOWER_FILE = 'scenes-text-tower';

const recallSchema = z.object({ r1: z.number(), r5: z.number(), r10: z.number() });

export const textTowerHeaderSchema = z.object({
  format: z.literal('mirage-text-tower/1'),
  /** First 16 hex digits of SHA-256 over the shape line and the half-float weights. */
  version: z.string().regex(/^[0-9a-f]{16}$/),
  features: z.literal(TEXT_FEATURES_ID),
  hashSize: z.number().int().min(1),
  dim: z.number().int().min(1),
  lambda: z.number().positive(),
  /** How it was trained and selected, so that `mirage text-tower train` can reproduce it. */
  training: z.record(z.string(), z.unknown()),
  /** Text-to-image Recall@K on the held-out world (descriptions retrieve their own image). */
  heldOut: recallSchema.extend({ images: z.number().int(), descriptions: z.number().int() }),
});
export type TextTowerHeader = z.infer<typeof textTowerHeaderSchema>;

/**
 * The learned text tower of the Scenes world: a linear map from hashed word features into the
 * image embedding space (ridge.ts), output scaled to unit length. Weights are stored as half
 * floats, row-major hashSize x dim, then the dim biases.
 */
export class TextTowerModel {
  constructor(
    readonly hashSize: number,
    readonly dim: number,
    /** hashSize x dim, row-major. */
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
  ) {
    if (weights.length !== hashSize * dim || bias.length !== dim) {
      throw new MirageError('MODEL_ERROR', `Text tower weights hold ${weights.length} + ${bias.length} numbers, expected ${hashSize} x ${dim} + ${dim}.`);
    }
  }

  /** The model as it is after a save and load: weights rounded to half floats. */
  static fromFit(hashSize: number, dim: number, weights: ArrayLike<number>, bias: ArrayLike<number>): TextTowerModel {
    const round = (values: ArrayLike<number>) => Float32Array.from(values as ArrayLike<number>, (v) => fromHalf(toHalf(v)));
    return new TextTowerModel(hashSize, dim, round(weights), round(bias));
  }

  embed(text: string): Float32Array {
    const out = Float32Array.from(this.bias);
    const { indices, values } = hashedFeatures(text, this.hashSize);
    indices.forEach((slot, k) => {
      const v = values[k]!;
      const row = slot * this.dim;
      for (let d = 0; d < this.dim; d++) out[d]! += v * this.weights[row + d]!;
    });
    let norm = 0;
    for (const v of out) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < out.length; d++) out[d]! /= norm;
    return out;
  }

  /** Little-endian half floats: weights, then biases. */
  toBytes(): Buffer {
    const bytes = Buffer.alloc((this.weights.length + this.bias.length) * 2);
    let offset = 0;
    for (const values of [this.weights, this.bias]) {
      for (const v of values) offset = bytes.writeUInt16LE(toHalf(v), offset);
    }
    return bytes;
  }

  static fromBytes(hashSize: number, dim: number, bytes: Uint8Array): TextTowerModel {
    const expected = (hashSize * dim + dim) * 2;
    if (bytes.length !== expected) throw new MirageError('MODEL_ERROR', `Text tower weights are ${bytes.length} bytes, expected ${expected}.`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const all = Float32Array.from({ length: expected / 2 }, (_, i) => fromHalf(view.getUint16(i * 2, true)));
    return new TextTowerModel(hashSize, dim, all.subarray(0, hashSize * dim), all.subarray(hashSize * dim));
  }
}

/** The content hash a header's version must equal. */
export function textTowerVersion(hashSize: number, dim: number, bytes: Uint8Array): string {
  return createHash('sha256').update(`${TEXT_FEATURES_ID} ${hashSize} ${dim}\n`).update(bytes).digest('hex').slice(0, 16);
}

/** The committed weights: next to this module in dist (copied by the build), else in the source tree. */
const WEIGHT_DIRS = [
  fileURLToPath(new URL('./weights/', import.meta.url)),
  fileURLToPath(new URL('../../../../core/scenes/text-tower/weights/', import.meta.url)),
];

export interface LoadedTextTower {
  readonly header: TextTowerHeader;
  readonly model: TextTowerModel;
}

/** Reads header and weights and checks that the weights hash to the header's version. */
export function loadTextTower(dirs: readonly string[] = WEIGHT_DIRS): LoadedTextTower {
  const errors: string[] = [];
  for (const dir of dirs) {
    let headerText: string;
    let bytes: Buffer;
    try {
      headerText = readFileSync(`${dir}${TEXT_TOWER_FILE}.json`, 'utf8');
      bytes = readFileSync(`${dir}${TEXT_TOWER_FILE}.f16`);
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
      continue;
    }
    const header = textTowerHeaderSchema.parse(JSON.parse(headerText));
    const version = textTowerVersion(header.hashSize, header.dim, bytes);
    if (version !== header.version) {
      throw new MirageError('MODEL_ERROR', `Text tower weights in ${dir} hash to ${version}, but the header says ${header.version}; retrain with \`mirage text-tower train\`.`);
    }
    return { header, model: TextTowerModel.fromBytes(header.hashSize, header.dim, bytes) };
  }
  throw new MirageError('MODEL_ERROR', `No Scenes text tower weights found (${errors.join('; ')}); run \`npm run train-text-tower\`.`);
}
