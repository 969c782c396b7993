/**
 * The learned text tower's input: hashed word unigrams and bigrams. It knows nothing of the
 * Scenes parser, lexicon, priors or renderer: a description is lower-cased (NFKC), every run of
 * characters other than a-z and 0-9 becomes one space, and the words are hashed.
 *
 * Feature names are "u|<word>" for each word and "b|<word> <next word>" for each adjacent pair.
 * A name's slot is FNV-1a (32-bit, over its UTF-16 code units, which are ASCII here) modulo the
 * hash size; a slot holds how often names hashed to it occur, and the vector is scaled to unit
 * length so that long and short descriptions weigh alike.
 */

/** A sparse feature vector: sorted distinct slots and their values. */
export interface SparseFeatures {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Plain 32-bit FNV-1a (no final mixing), the fixed hash of the feature names. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

export function tokenize(text: string): string[] {
  const words = text.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return words === '' ? [] : words.split(' ');
}

export function featureNames(text: string): string[] {
  const words = tokenize(text);
  const names = words.map((w) => `u|${w}`);
  for (let i = 1; i < words.length; i++) names.push(`b|${words[i - 1]} ${words[i]}`);
  return names;
}

export function hashedFeatures(text: string, hashSize: number): SparseFeatures {
  const counts = new Map<number, number>();
  for (const name of featureNames(text)) {
    const slot = fnv1a32(name) % hashSize;
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const norm = Math.sqrt([...counts.values()].reduce((s, c) => s + c * c, 0));
  const values = Float64Array.from(indices, (slot) => counts.get(slot)! / norm);
  return { indices, values };
}
