import { notSupported } from '../errors.js';
import type { GeneratedImage } from '../ports/generator.js';
import { mean, normalize } from '../vectors/vector-math.js';
import type { StrategyContext } from './strategy.js';

export interface ImageQuery {
  readonly vector: Float32Array;
  readonly generated: readonly GeneratedImage[];
}

/** GenIR's query: render n guesses of the description, embed them, average, normalise. */
export async function syntheticImageQuery(context: StrategyContext): Promise<ImageQuery> {
  const { models, session, timer } = context;
  const generator = models.generator;
  if (!generator) {
    throw notSupported(`The "${session.strategy}" strategy needs a generator; embedder "${models.embedderId}" has none configured.`);
  }
  context.onProgress?.({ stage: 'generate', step: 0, total: session.samples });
  const generated = await timer.time('generate', () =>
    generator.generate({
      text: context.query,
      seed: context.seed,
      n: session.samples,
      ...(context.signal ? { signal: context.signal } : {}),
      onStep: (step, total) => context.onProgress?.({ stage: 'generate', step, total }),
    }),
  );
  context.signal?.throwIfAborted();
  context.onProgress?.({ stage: 'embed' });
  const vectors = await timer.time('embed', () => models.imageEmbedder.embedImages(generated.map((g) => g.image)));
  return { vector: normalize(mean(vectors, models.imageEmbedder.dim)), generated };
}

/** Text-to-image query through the text tower of the archive's embedder. */
export async function textQuery(context: StrategyContext): Promise<Float32Array> {
  const { models, session, timer } = context;
  const textEmbedder = models.textEmbedder;
  if (!textEmbedder) {
    throw notSupported(`The "${session.strategy}" strategy needs a text embedder; embedder "${models.embedderId}" has none.`);
  }
  context.onProgress?.({ stage: 'embed' });
  const [vector] = await timer.time('embed', () => textEmbedder.embedTexts([context.query]));
  if (!vector) throw new Error('text embedder returned no vector');
  return normalize(vector);
}
