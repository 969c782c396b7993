import { z } from 'zod';
import { MirageError } from '../errors.js';
import type { RemoteFile } from './hub-listing.js';
import pinsFile from './preset-pins.json' with { type: 'json' };

/** A commit id: presets are pinned to one, never to a branch that moves. */
const commitSchema = z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-character commit id');

const pinnedFileSchema = z.object({
  size: z.number().int().min(0),
  digest: z.string().regex(/^(sha256|git-sha1):[0-9a-f]+$/),
});

const presetPinSchema = z.object({
  revision: commitSchema,
  /** Per variant, every file it fetches, by path. */
  variants: z.record(z.string(), z.record(z.string(), pinnedFileSchema)),
});

export const presetPinsSchema = z.record(z.string(), presetPinSchema);

/** Known commits and file digests of presets, checked when they are pulled. */
export type PresetPins = z.infer<typeof presetPinsSchema>;
export type PresetPin = z.infer<typeof presetPinSchema>;

/**
 * The pins shipped with Mirage (core/models/preset-pins.json). A maintainer makes an entry with
 * `mirage models pin <preset> --revision <commit>` on a machine that reaches the hub, after
 * reviewing that commit, and merges what it prints into the file.
 */
export const SHIPPED_PINS: PresetPins = presetPinsSchema.parse(pinsFile);

/**
 * Checks a listing of the pinned commit against the pin: the same files, each with the pinned
 * size and digest. Anything else means the hub (or a mirror) no longer serves what was reviewed.
 */
export function assertMatchesPin(preset: string, variant: string, pinned: Readonly<Record<string, { size: number; digest: string }>>, listed: readonly RemoteFile[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of listed) {
    seen.add(file.path);
    const pin = pinned[file.path];
    if (pin === undefined) problems.push(`${file.path} is new`);
    else if (pin.digest !== file.digest || pin.size !== file.size) problems.push(`${file.path} is ${file.digest} (${file.size} bytes), pinned ${pin.digest} (${pin.size} bytes)`);
  }
  for (const path of Object.keys(pinned)) if (!seen.has(path)) problems.push(`${path} is gone`);
  if (problems.length > 0) {
    throw new MirageError(
      'MODEL_ERROR',
      `Preset "${preset}" (${variant}) differs from its pinned files upstream: ${problems.join('; ')}. Nothing was downloaded; ` +
        'if the change was meant, review it and pin the preset again (mirage models pin).',
    );
  }
}

/** The pin entry for a variant's files as listed at a commit: what `mirage models pin` prints. */
export function pinOf(revision: string, variant: string, files: readonly RemoteFile[]): PresetPin {
  const parsedRevision = commitSchema.safeParse(revision);
  if (!parsedRevision.success) throw new MirageError('INVALID_INPUT', `Pin a preset to a commit id (40 hex characters), not "${revision}".`);
  return { revision, variants: { [variant]: Object.fromEntries(files.map((f) => [f.path, { size: f.size, digest: f.digest }])) } };
}
