import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parser for whole numbers in a range; the message names the flag, so the
 * error line reads "option '--k <n>' argument 'ten' is invalid. --k must be ...".
 */
export function integerIn(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}
