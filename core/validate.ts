import type { z } from 'zod';
import { invalidInput } from './errors.js';

/** Parses input with a schema and turns the first problem into one clear INVALID_INPUT error. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw invalidInput(`Invalid ${what}: ${where}${issue?.message ?? 'malformed input'}`);
}
