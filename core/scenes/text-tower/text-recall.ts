/** Recall@K of text-to-image retrieval where query i should find image owner[i]. */
export interface TextToImageRecall {
  readonly r1: number;
  readonly r5: number;
  readonly r10: number;
}

/**
 * Each query ranks every image by dot product (both sides unit length); its own image's rank
 * counts the images scoring at least as high, ties against it, so a constant tower scores chance.
 */
export function textToImageRecall(
  queries: readonly Float32Array[],
  owners: readonly number[],
  images: readonly Float32Array[],
): TextToImageRecall {
  const hits = { r1: 0, r5: 0, r10: 0 };
  queries.forEach((q, i) => {
    const own = dot(q, images[owners[i]!]!);
    let rank = 0;
    images.forEach((image, j) => {
      if (j !== owners[i] && dot(q, image) >= own) rank++;
    });
    if (rank < 1) hits.r1++;
    if (rank < 5) hits.r5++;
    if (rank < 10) hits.r10++;
  });
  const n = queries.length;
  return { r1: hits.r1 / n, r5: hits.r5 / n, r10: hits.r10 / n };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
