import { invalidInput } from '../errors.js';
import type { GeneratedImage, GenerateRequest, Generator } from '../ports/generator.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';
import { completeScene } from './complete-scene.js';
import { parseDescription } from './parser.js';
import { DEFAULT_RENDER_SIZE, renderScene } from './renderer.js';

/** More samples than any front end asks for; a bound so a bad request cannot render forever. */
const MAX_SAMPLES = 64;

export interface ScenesGeneratorOptions {
  /** Side of the rendered images in pixels. */
  readonly size?: number;
}

/**
 * The Scenes world's text-to-image "model": parses the description, fills what it leaves open
 * from the world's priors, and renders the result. That is GenIR's visual feedback: the image
 * shows what the system assumed (a green car when no colour was said), which the person can
 * then correct. The scene itself comes back as the interpretation.
 */
export class ScenesGenerator implements Generator {
  readonly id = 'scenes';
  private readonly size: number;

  constructor(options: ScenesGeneratorOptions = {}) {
    this.size = options.size ?? DEFAULT_RENDER_SIZE;
  }

  async generate(request: GenerateRequest): Promise<GeneratedImage[]> {
    const { text, seed, n, signal } = request;
    if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES) throw invalidInput(`Number of samples must be a whole number from 1 to ${MAX_SAMPLES}, got ${n}.`);
    if (!Number.isFinite(seed)) throw invalidInput(`Seed must be a finite number, got ${seed}.`);
    if (typeof text !== 'string') throw invalidInput('Description must be text.');
    const partial = parseDescription(text);
    const images: GeneratedImage[] = [];
    for (let i = 0; i < n; i++) {
      signal?.throwIfAborted();
      const sampleSeed = deriveSeed(seed, i);
      const scene = completeScene(partial, new Prng(sampleSeed));
      const image = await renderScene(scene, { size: this.size, jitterSeed: deriveSeed(sampleSeed, 'jitter') });
      images.push({ image, seed: sampleSeed, interpretation: scene });
      request.onStep?.(i + 1, n);
    }
    return images;
  }
}
