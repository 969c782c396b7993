import type { z } from 'zod';

/**
 * The settings given in the environment, by key, as `convert` reads each one's text (numbers,
 * lists...); unset and blank variables are left out so that the schema's defaults apply.
 */
export function settingsFromEnv<K extends string>(
  env: Readonly<Record<string, string | undefined>>,
  names: Readonly<Record<K, string>>,
  convert: (key: K, raw: string) => unknown = (_key, raw) => raw,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(names) as [K, string][]) {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    values[key] = convert(key, raw);
  }
  return values;
}

/** A comma-separated list, without blanks. */
export const commaList = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);

/** Overrides (command-line flags) that were given, on top of the environment's values. */
export function withOverrides(fromEnv: Record<string, unknown>, overrides: object): Record<string, unknown> {
  return { ...fromEnv, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

/** The first problem a schema found, with the setting it concerns, for one clear error message. */
export function firstProblem<K extends string>(error: z.ZodError, names: Readonly<Record<K, string>>): { key?: K; variable?: string; message: string; missing: boolean } {
  const issue = error.issues[0];
  const key = issue?.path[0] as K | undefined;
  return {
    ...(key !== undefined ? { key, variable: names[key] ?? key } : {}),
    message: issue?.message ?? 'malformed',
    missing: issue?.code === 'invalid_type' && issue.input === undefined,
  };
}
