import { embedJobSchema, generateJobSchema } from '../../core/ports/job-contract.js';
import { validate } from '../../core/validate.js';
import { MirageError, notSupported } from '../../core/errors.js';
import { decodeImage } from '../../core/images/decode.js';
import { encodeImage } from '../../core/images/encode.js';
import { encodeVector } from '../../core/vectors/vector-codec.js';
import type { JobHandler } from '../worker-context.js';

/** Renders a text with an embedder's generator; the images go to the blob store (TTL'd). */
export const generateJob: JobHandler<'generate'> = async (ctx, run) => {
  const request = validate(generateJobSchema, run.data, 'generate request');
  const { generator } = await ctx.models.bundleFor(request.embedder);
  if (!generator) throw notSupported(`The models of embedder "${request.embedder}" have no image generator.`);
  const images = await generator.generate({
    text: request.text,
    seed: request.seed,
    n: request.n,
    signal: run.signal,
    onStep: (step, total) => run.progress({ stage: 'generate', step, total }),
  });
  return Promise.all(
    images.map(async (generated, i) => {
      const blob = `generated-${run.id}-${i}`;
      await ctx.blobs.put(blob, await encodeImage(generated.image));
      return { blob, seed: generated.seed, ...(generated.interpretation ? { interpretation: generated.interpretation } : {}) };
    }),
  );
};

/** Embeds texts, or images the caller put in the blob store, into an embedder's space. */
export const embedJob: JobHandler<'embed'> = async (ctx, run) => {
  const request = validate(embedJobSchema, run.data, 'embed request');
  const bundle = await ctx.models.bundleFor(request.embedder);
  if (request.texts !== undefined) {
    if (!bundle.textEmbedder) throw notSupported(`The models of embedder "${request.embedder}" cannot embed text.`);
    return (await bundle.textEmbedder.embedTexts(request.texts)).map(encodeVector);
  }
  const pixels = await Promise.all(
    (request.images ?? []).map(async (id) => {
      const image = await ctx.blobs.get(id);
      if (!image) throw new MirageError('UNKNOWN_IMAGE', `Image "${id}" is not in the blob store (or has expired).`);
      return decodeImage(image.bytes);
    }),
  );
  return (await bundle.imageEmbedder.embedImages(pixels)).map(encodeVector);
};
