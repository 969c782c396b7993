/** Maps text into the same space as its paired ImageEmbedder (L2-normalised). */
export interface TextEmbedder {
  readonly id: string;
  readonly dim: number;
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
}
