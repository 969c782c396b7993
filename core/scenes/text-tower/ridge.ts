import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { invalidInput } from '../../errors.js';
import type { SparseFeatures } from './text-features.js';

export interface RidgeFit {
  /** inputDim x outputDim, row-major. */
  readonly weights: Float64Array;
  /** outputDim: the intercept, which is not penalised. */
  readonly bias: Float64Array;
}

export type RidgeForm = 'primal' | 'dual' | 'auto';

/**
 * Ridge regression with an intercept, from sparse inputs to dense targets: minimises
 * sum_i |y_i - W^T x_i - b|^2 + lambda |W|_F^2. Inputs and targets are centred, so b is
 * mean(y) - W^T mean(x). The primal form solves (Xc^T Xc + lambda I) W = Xc^T Yc (inputDim
 * square); the dual solves (Xc Xc^T + lambda I) A = Yc and sets W = Xc^T A (rows square).
 * 'auto' takes whichever system is smaller; both give the same W.
 */
export function fitRidge(
  rows: readonly SparseFeatures[],
  targets: readonly Float32Array[],
  inputDim: number,
  lambda: number,
  form: RidgeForm = 'auto',
): RidgeFit {
  const n = rows.length;
  if (n === 0 || targets.length !== n) throw invalidInput(`Ridge needs as many targets as rows (got ${n} rows, ${targets.length} targets).`);
  if (!(lambda > 0)) throw invalidInput(`Ridge lambda must be > 0, got ${lambda}.`);
  const outputDim = targets[0]!.length;
  const meanX = new Float64Array(inputDim);
  const meanY = new Float64Array(outputDim);
  rows.forEach((row, i) => {
    row.indices.forEach((j, k) => (meanX[j]! += row.values[k]! / n));
    const y = targets[i]!;
    if (y.length !== outputDim) throw invalidInput('Ridge targets must all have the same length.');
    for (let d = 0; d < outputDim; d++) meanY[d]! += y[d]! / n;
  });
  const centredY = new Matrix(targets.map((y) => Array.from(y, (v, d) => v - meanY[d]!)));
  const useDual = form === 'dual' || (form === 'auto' && n < inputDim);
  const weights = useDual ? dualWeights(rows, centredY, meanX, lambda) : primalWeights(rows, centredY, meanX, lambda);
  const bias = Float64Array.from(meanY, (m, d) => {
    let b = m;
    for (let j = 0; j < inputDim; j++) b -= meanX[j]! * weights.get(j, d);
    return b;
  });
  return { weights: Float64Array.from(weights.to1DArray()), bias };
}

/** (Xc^T Xc + lambda I)^-1 Xc^T Yc, with Xc^T Xc = X^T X - n mean mean^T accumulated sparsely. */
function primalWeights(rows: readonly SparseFeatures[], centredY: Matrix, meanX: Float64Array, lambda: number): Matrix {
  const dim = meanX.length;
  const n = rows.length;
  const gram = Matrix.zeros(dim, dim);
  const xty = Matrix.zeros(dim, centredY.columns);
  rows.forEach((row, i) => {
    const y = centredY.getRow(i);
    row.indices.forEach((a, ka) => {
      const va = row.values[ka]!;
      row.indices.forEach((b, kb) => gram.set(a, b, gram.get(a, b) + va * row.values[kb]!));
      // Yc is centred, so X^T Yc = Xc^T Yc.
      for (let d = 0; d < y.length; d++) xty.set(a, d, xty.get(a, d) + va * y[d]!);
    });
  });
  for (let a = 0; a < dim; a++) {
    // Upper triangle, mirrored: rounding must not make the matrix asymmetric (Cholesky checks).
    for (let b = a; b < dim; b++) {
      const centred = gram.get(a, b) - n * meanX[a]! * meanX[b]!;
      gram.set(a, b, centred);
      gram.set(b, a, centred);
    }
    gram.set(a, a, gram.get(a, a) + lambda);
  }
  return new CholeskyDecomposition(gram).solve(xty);
}

/** Xc^T (Xc Xc^T + lambda I)^-1 Yc. */
function dualWeights(rows: readonly SparseFeatures[], centredY: Matrix, meanX: Float64Array, lambda: number): Matrix {
  const n = rows.length;
  const dense = rows.map((row) => {
    const x = Float64Array.from(meanX, (m) => -m);
    row.indices.forEach((j, k) => (x[j]! += row.values[k]!));
    return x;
  });
  const kernel = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let dot = 0;
      for (let j = 0; j < meanX.length; j++) dot += dense[i]![j]! * dense[k]![j]!;
      kernel.set(i, k, dot);
      kernel.set(k, i, dot);
    }
    kernel.set(i, i, kernel.get(i, i) + lambda);
  }
  const alpha = new CholeskyDecomposition(kernel).solve(centredY);
  return new Matrix(dense.map((x) => Array.from(x))).transpose().mmul(alpha);
}
