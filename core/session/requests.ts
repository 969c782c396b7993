import { z } from 'zod';
import { STRATEGY_NAMES } from './session.js';

/** Input rules shared by every front end, so the CLI, MCP and Discord reject the same things. */
export const LIMITS = {
  maxQueryChars: 1000,
  maxK: 100,
  maxSamples: 8,
  maxFeedbackIds: 50,
  /** Values one attribute of an allow-filter may list (a guild's viewable channels). */
  maxAllowValues: 1000,
} as const;

export const archiveNameSchema = z
  .string()
  .min(1, 'archive name is empty')
  .max(64, 'archive name is longer than 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'archive name may use lowercase letters, digits, ".", "_" and "-" only');

export const sessionIdSchema = z.string().min(1, 'session id is empty').max(128);

/**
 * Who a session belongs to: an opaque string chosen by the front end ("discord:<guild>:<user>",
 * "mcp:<token digest>"). A session with an owner answers only calls that present the same owner.
 */
export const ownerSchema = z.string().min(1, 'owner is empty').max(200);

/**
 * Only images whose record attributes take one of the listed values, for every attribute named
 * ({ channel: ['123', '456'] }); an image without the attribute is not allowed. Per round,
 * because what a person may see can change between rounds.
 */
export const allowFilterSchema = z
  .record(z.string().min(1).max(64), z.array(z.string().min(1).max(256)).max(LIMITS.maxAllowValues).readonly())
  .refine((allow) => Object.keys(allow).length <= 8, 'an allow-filter names at most 8 attributes');
export type AllowFilter = Readonly<Record<string, readonly string[]>>;

const weightsPair = z.tuple([z.number().min(0), z.number().min(0)]);

export const startSessionSchema = z.object({
  archive: archiveNameSchema,
  strategy: z.enum(STRATEGY_NAMES).default('generative'),
  k: z.number().int().min(1).max(LIMITS.maxK).default(10),
  samples: z.number().int().min(1).max(LIMITS.maxSamples).default(1),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  owner: ownerSchema.optional(),
  excludeRejected: z.boolean().default(true),
  rocchio: z
    .object({ alpha: z.number().min(0), beta: z.number().min(0), gamma: z.number().min(0) })
    .default({ alpha: 1, beta: 0.75, gamma: 0.15 }),
  hybrid: z.object({ early: weightsPair, late: weightsPair }).default({ early: [0.2, 0.8], late: [0.5, 0.5] }),
  verbalCandidates: z.number().int().min(2).max(100).default(10),
});
export type StartSessionRequest = z.input<typeof startSessionSchema>;

export const roundRequestSchema = z.object({
  query: z
    .string()
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, 'the description is empty')
        .max(LIMITS.maxQueryChars, `the description is longer than ${LIMITS.maxQueryChars} characters`),
    ),
  closerTo: z.array(z.string().min(1)).max(LIMITS.maxFeedbackIds).default([]),
  notThese: z.array(z.string().min(1)).max(LIMITS.maxFeedbackIds).default([]),
  allow: allowFilterSchema.optional(),
});
export type RoundRequest = z.input<typeof roundRequestSchema>;

/** A round request after validation: what the round pipeline runs. */
export interface RoundInput {
  readonly query: string;
  readonly closerTo: readonly string[];
  readonly notThese: readonly string[];
  readonly allow?: AllowFilter;
}

/** Who is calling: checked against the owner of the session the call is about. */
export interface SessionAccess {
  readonly owner?: string;
}

export const sessionAccessSchema = z.object({ owner: ownerSchema.optional() });

export const imageRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('archive'), archive: archiveNameSchema, id: z.string().min(1).max(256) }),
  z.object({ kind: z.literal('synthetic'), id: z.string().min(1).max(256) }),
]);
export type ImageRef = z.infer<typeof imageRefSchema>;
