import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { invalidInput, MirageError } from '../errors.js';
import { fetchVerifiedFile, type FileOutcome } from './file-download.js';
import { describeHubError } from './hub-errors.js';
import { listRepoFiles, type HubLocation, type RemoteFile } from './hub-listing.js';
import { MODEL_MANIFEST_FILE, writeModelManifest, type ModelManifest } from './model-manifest.js';
import { findPreset, isIncluded, MODEL_PRESETS, type ModelPreset, type PresetVariant } from './presets.js';

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
}

/**
 * Downloads a preset's files from the hub into `<modelsDir>/<preset>/`, verifying each against
 * the size and hash the hub lists, then writes mirage-model.json. Re-running continues where an
 * interrupted run stopped and skips files already complete, so it is safe to repeat.
 */
export async function pullModel(options: PullModelOptions): Promise<PullReport> {
  const preset = findPreset(options.preset);
  if (!preset) throw invalidInput(`Unknown model preset "${options.preset}"; known: ${MODEL_PRESETS.map((p) => p.name).join(', ')}.`);
  const variantName = options.variant ?? preset.defaultVariant;
  const variant = preset.variants[variantName];
  if (!variant) {
    throw invalidInput(`Preset "${preset.name}" has no variant "${variantName}"; choose one of ${Object.keys(preset.variants).join(', ')}.`);
  }
  const dir = join(options.modelsDir, preset.name);
  const location: HubLocation = {
    repo: preset.repo,
    revision: preset.revision,
    ...(options.hubUrl !== undefined ? { hubUrl: options.hubUrl } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
  };
  const context = { hubUrl: options.hubUrl, repo: preset.repo, dir };

  const listing = await listRepoFiles(location).catch((e: unknown) => {
    throw describeHubError(e, context);
  });
  const wanted = filesToFetch(preset, variantName, variant, listing, dir);
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
    revision: preset.revision,
    ...(preset.dim !== undefined ? { dim: preset.dim } : {}),
    roles: { ...variant.roles },
    files: wanted.map((f) => ({ path: f.path, size: f.size, digest: f.digest })),
    pulledAt: new Date().toISOString(),
  };
  await writeModelManifest(dir, manifest);
  return { preset: preset.name, variant: variantName, repo: preset.repo, dir, files, totalBytes, manifest };
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
