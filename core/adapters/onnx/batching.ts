import { staticDim, type TensorSpec } from './input-metadata.js';

/** How many items go into one model call. */
export interface BatchPlan {
  readonly size: number;
  /** The model's batch axis has a fixed size: every call must be exactly that big. */
  readonly fixed: boolean;
}

/** The model's fixed batch size where it has one (axis 0 of `input`), else up to `maxBatch`. */
export function batchPlan(input: TensorSpec, maxBatch: number): BatchPlan {
  const fixed = staticDim(input, 0);
  return fixed === undefined ? { size: Math.max(1, Math.floor(maxBatch)), fixed: false } : { size: fixed, fixed: true };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Fills a short last chunk up to a fixed batch size by repeating its last item; callers read
 * back only the first chunk.length results.
 */
export function padToPlan<T>(chunk: readonly T[], plan: BatchPlan): T[] {
  const last = chunk[chunk.length - 1];
  if (!plan.fixed || last === undefined || chunk.length >= plan.size) return [...chunk];
  return [...chunk, ...new Array<T>(plan.size - chunk.length).fill(last)];
}
