import { describe, expect, it } from 'vitest';
import { Prng } from '../../../core/random/prng.js';
import { fitRidge, type RidgeForm } from '../../../core/scenes/text-tower/ridge.js';
import type { SparseFeatures } from '../../../core/scenes/text-tower/text-features.js';

const dense = (values: number[]): SparseFeatures => ({
  indices: Int32Array.from(values.map((_, i) => i)),
  values: Float64Array.from(values),
});

describe('ridge regression', () => {
  // x = 1, 2, 3 and y = 2, 4, 6: centred x = -1, 0, 1 and y = -2, 0, 2, so
  // w = sum(xc yc) / (sum(xc^2) + lambda) = 4 / (2 + 2) = 1 and b = mean(y) - w mean(x) = 4 - 2 = 2.
  it.each<RidgeForm>(['primal', 'dual', 'auto'])('solves a one-feature problem by hand (%s)', (form) => {
    const fit = fitRidge([dense([1]), dense([2]), dense([3])], [[2], [4], [6]].map((y) => Float32Array.from(y)), 1, 2, form);
    expect(fit.weights[0]).toBeCloseTo(1, 10);
    expect(fit.bias[0]).toBeCloseTo(2, 10);
  });

  it('gives the same map in primal and dual form, and it satisfies the normal equations', () => {
    const rng = new Prng(3);
    const n = 7;
    const inputDim = 4;
    const rows = Array.from({ length: n }, () => dense(Array.from({ length: inputDim }, () => rng.next() - 0.5)));
    const targets = Array.from({ length: n }, () => Float32Array.from([rng.next(), rng.next() - 1]));
    const lambda = 0.3;
    const primal = fitRidge(rows, targets, inputDim, lambda, 'primal');
    const dual = fitRidge(rows, targets, inputDim, lambda, 'dual');
    primal.weights.forEach((w, i) => expect(dual.weights[i]).toBeCloseTo(w, 9));
    primal.bias.forEach((b, i) => expect(dual.bias[i]).toBeCloseTo(b, 9));
    // At the optimum the residual r = y - W^T x - b sums to zero and X^T r = lambda W.
    const residual = rows.map((row, i) =>
      [0, 1].map((d) => targets[i]![d]! - primal.bias[d]! - row.values.reduce((s, v, j) => s + v * primal.weights[j * 2 + d]!, 0)),
    );
    for (const d of [0, 1]) {
      expect(residual.reduce((s, r) => s + r[d]!, 0)).toBeCloseTo(0, 9);
      for (let j = 0; j < inputDim; j++) {
        const xtr = rows.reduce((s, row, i) => s + row.values[j]! * residual[i]![d]!, 0);
        expect(xtr).toBeCloseTo(lambda * primal.weights[j * 2 + d]!, 9);
      }
    }
  });

  it('refuses a non-positive lambda and mismatched targets', () => {
    expect(() => fitRidge([dense([1])], [Float32Array.of(1)], 1, 0)).toThrow(/lambda/);
    expect(() => fitRidge([dense([1])], [], 1, 1)).toThrow(/targets/);
  });
});
