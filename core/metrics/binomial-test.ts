import { invalidInput } from '../errors.js';

/**
 * Exact two-sided binomial test of x successes in n trials against p = 1/2:
 *
 *   p = min(1, 2 * P(X <= min(x, n - x))),  X ~ Binomial(n, 1/2)
 *
 * (the symmetric null makes doubling the smaller tail the exact two-sided p-value). n = 0 gives
 * p = 1: no evidence either way. Summed in log space, so thousands of trials do not underflow.
 */
export function twoSidedBinomialP(x: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(x) || x < 0 || x > n) {
    throw invalidInput(`The binomial test needs whole numbers 0 <= x <= n, got x = ${x}, n = ${n}.`);
  }
  if (n === 0) return 1;
  const tail = Math.min(x, n - x);
  let logTerm = -n * Math.LN2; // log P(X = 0)
  let sum = 0;
  for (let i = 0; i <= tail; i++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log(n - i) - Math.log(i + 1);
  }
  return Math.min(1, 2 * sum);
}

/**
 * Exact McNemar test on paired binary outcomes: only the discordant pairs count, b (found by the
 * first method only) and c (by the second only); under the null each is equally likely.
 */
export function mcnemarExactP(b: number, c: number): number {
  return twoSidedBinomialP(b, b + c);
}
