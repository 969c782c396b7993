/**
 * The hand-worked example the metric tests share: 3 targets x 3 rounds (T = 2), 0-indexed ranks.
 *
 *   target A: [0, 0, 0]    top-1 from the initial description on
 *   target B: [7, 2, 6]    enters the top 5 at round 1, falls out of it again at round 2
 *   target C: [12, 15, 11] never in the top 10; first below 12 at round 2
 *
 * Best rank so far (running minimum):  A [0, 0, 0]   B [7, 2, 2]   C [12, 12, 11]
 */
export const WORKED_RANKS: readonly (readonly number[])[] = [
  [0, 0, 0],
  [7, 2, 6],
  [12, 15, 11],
];
