import type { z } from 'zod';

/** How a setting's text in the environment becomes its value. */
export type EnvKind = 'text' | 'number' | 'list';

/**
 * The settings given in the environment, by key, converted by kind; unset and blank variables
 * are left out so that the schema's defaults apply. Lists are comma-separated.
 */
export function settingsFromEnv<K extends string>(
  env: Readonly<Record<string, string | undefined>>,
  names: Readonly<Record<K, string>>,
  kindOf: (key: K) => EnvKind,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(names) as [K, string][]) {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    const kind = kindOf(key);
    values[key] = kind === 'number' ? Number(raw) : kind === 'list' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
  }
  return values;
}

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
