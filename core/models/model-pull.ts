import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { invalidInput, MirageError } from '../errors.js';
import { fetchVerifiedFile, type FileOutcome } from './file-download.js';
import { describeHubError } from './hub-errors.js';
import { listRepoFiles, type HubLocation, type RemoteFile } from './hub-listing.js';
import { MODEL_MANIFEST_FILE, writeModelManifest, type ModelManifest } from './model-manifest.js';
import { findPreset, isIncluded, MODEL_PRESETS, type ModelPreset, type PresetVariant } from './presets.js';
import { assertMatchesPin, pinOf, SHIPPED_PINS, type PresetPin, type PresetPins } from './preset-pins.js';

export interface PullModelOptions {
  readonly preset: string;
  /** Defaults to the preset's default variant. */
  readonly variant?: string;
  /** The preset goes to `<modelsDir>/<preset>/`. */
  readonly modelsDir: string;
  /** Hub base URL; the public hub when unset. */
  readonly hubUrl?: string;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PullProgress) => void;
  /** Known commits and digests (default: the ones shipped with Mirage). */
  readonly pins?: PresetPins;
  /**
   * Fetch a preset that has no pin for the variant: whatever the hub lists at the preset's
   * branch now, verified only against that listing. Refused otherwise.
   */
  readonly unpinned?: boolean;
}

export interface PullProgress {
  /** The file being fetched. */
  readonly file: string;
  /** Bytes of the whole pull on disk so far (files already present count at once). */
  readonly bytes: number;
  readonly total: number;
}

export interface PulledFile {
  readonly path: string;
  readonly size: number;
  readonly outcome: FileOutcome;
}

export interface PullReport {
  readonly preset: string;
  readonly variant: string;
  readonly repo: string;
  readonly dir: string;
  readonly files: readonly PulledFile[];
  readonly totalBytes: number;
  readonly manifest: ModelManifest;
  /** Whether the files were checked against a pin (a reviewed commit and its digests). */
  readonly pinned: boolean;
}

/**
 * Downloads a preset's files from the hub into `<modelsDir>/<preset>/`, verifying each against
 * its size and hash, then writes mirage-model.json. A pinned preset is fetched from its pinned
 * commit, and the listing there must name exactly the pinned files with the pinned digests: a
 * change upstream (or a mirror serving something else) stops the pull before any download.
 * Re-running continues where an interrupted run stopped and skips files already complete, so it
 * is safe to repeat.
 */
export async function pullModel(options: PullModelOptions): Promise<PullReport> {
  const preset = findPreset(options.preset);
  if (!preset) throw invalidInput(`Unknown model preset "${options.preset}"; known: ${MODEL_PRESETS.map((p) => p.name).join(', ')}.`);
  const variantName = options.variant ?? preset.defaultVariant;
  const variant = preset.variants[variantName];
  if (!variant) {
    throw invalidInput(`Preset "${preset.name}" has no variant "${variantName}"; choose one of ${Object.keys(preset.variants).join(', ')}.`);
  }
  const pin = pinFor(preset, variantName, options);
  const dir = join(options.modelsDir, preset.name);
  const location: HubLocation = {
    repo: preset.repo,
    revision: pin?.revision ?? preset.revision,
    ...(options.hubUrl !== undefined ? { hubUrl: options.hubUrl } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
  };
  const context = { hubUrl: options.hubUrl, repo: preset.repo, dir };

  const listing = await listRepoFiles(location).catch((e: unknown) => {
    throw describeHubError(e, context);
  });
  const wanted = filesToFetch(preset, variantName, variant, listing, dir);
  const pinnedFiles = pin?.variants[variantName];
  if (pinnedFiles) assertMatchesPin(preset.name, variantName, pinnedFiles, wanted);
  const totalBytes = wanted.reduce((sum, f) => sum + f.size, 0);

  await mkdir(dir, { recursive: true });
  // Until the pull completes, the folder must not claim to be a verified install.
  await rm(join(dir, MODEL_MANIFEST_FILE), { force: true });
  const files: PulledFile[] = [];
  let finishedBytes = 0;
  for (const remote of wanted) {
    options.signal?.throwIfAborted();
    let fileBytes = 0;
    const outcome = await fetchVerifiedFile({
      location,
      remote,
      target: join(dir, remote.path),
      ...(options.signal ? { signal: options.signal } : {}),
      onBytes: (n) => {
        fileBytes += n;
        options.onProgress?.({ file: remote.path, bytes: finishedBytes + fileBytes, total: totalBytes });
      },
    }).catch((e: unknown) => {
      if (options.signal?.aborted) throw e;
      throw describeHubError(e, context);
    });
    finishedBytes += remote.size;
    files.push({ path: remote.path, size: remote.size, outcome });
  }

  const manifest: ModelManifest = {
    format: 1,
    kind: preset.kind,
    preset: preset.name,
    variant: variantName,
    repo: preset.repo,
    revision: location.revision,
    ...(preset.dim !== undefined ? { dim: preset.dim } : {}),
    roles: { ...variant.roles },
    files: wanted.map((f) => ({ path: f.path, size: f.size, digest: f.digest })),
    pulledAt: new Date().toISOString(),
  };
  await writeModelManifest(dir, manifest);
  return { preset: preset.name, variant: variantName, repo: preset.repo, dir, files, totalBytes, manifest, pinned: pin !== undefined };
}

/** The pin a pull checks against; without one, the pull needs options.unpinned. */
function pinFor(preset: ModelPreset, variant: string, options: PullModelOptions): PresetPin | undefined {
  const pin = (options.pins ?? SHIPPED_PINS)[preset.name];
  if (pin?.variants[variant] !== undefined) return pin;
  if (options.unpinned) return undefined;
  throw new MirageError(
    'NOT_SUPPORTED',
    `Preset "${preset.name}" (${variant}) is not pinned to a reviewed commit and digests yet, so what the hub serves now cannot be checked. ` +
      `Pull it anyway with --unpinned (it is then verified only against the hub's own listing of ${preset.revision}), or pin it first (mirage models pin).`,
  );
}

/** A pin entry for a preset's variant as the hub lists it at `revision` (a commit id), for `mirage models pin`. */
export async function pinPreset(options: {
  readonly preset: string;
  readonly variant?: string;
  readonly revision: string;
  readonly hubUrl?: string;
  readonly fetch?: typeof fetch;
}): Promise<PresetPins> {
  const preset = findPreset(options.preset);
  if (!preset) throw invalidInput(`Unknown model preset "${options.preset}"; known: ${MODEL_PRESETS.map((p) => p.name).join(', ')}.`);
  const variantName = options.variant ?? preset.defaultVariant;
  const variant = preset.variants[variantName];
  if (!variant) throw invalidInput(`Preset "${preset.name}" has no variant "${variantName}"; choose one of ${Object.keys(preset.variants).join(', ')}.`);
  pinOf(options.revision, variantName, []);
  const location: HubLocation = {
    repo: preset.repo,
    revision: options.revision,
    ...(options.hubUrl !== undefined ? { hubUrl: options.hubUrl } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
  };
  const listing = await listRepoFiles(location).catch((e: unknown) => {
    throw describeHubError(e, { hubUrl: options.hubUrl, repo: preset.repo, dir: '' });
  });
  return { [preset.name]: pinOf(options.revision, variantName, filesToFetch(preset, variantName, variant, listing, '.')) };
}

function filesToFetch(
  preset: ModelPreset,
  variantName: string,
  variant: PresetVariant,
  listing: ReadonlyMap<string, RemoteFile>,
  dir: string,
): RemoteFile[] {
  const missing = variant.required.filter((path) => !listing.has(path));
  if (missing.length > 0) {
    throw new MirageError(
      'MODEL_ERROR',
      `${preset.repo} lacks ${missing.join(', ')}, which preset "${preset.name}" (${variantName}) needs; the repository layout may have changed.`,
    );
  }
  const root = resolve(dir) + sep;
  return [...listing.values()]
    .filter((f) => isIncluded(variant, f.path))
    .map((f) => {
      // A listing is remote input: no path may climb out of the model folder.
      if (!resolve(dir, f.path).startsWith(root)) throw new MirageError('MODEL_ERROR', `${preset.repo} lists an unsafe path "${f.path}".`);
      return f;
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
