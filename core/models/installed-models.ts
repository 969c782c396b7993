import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readModelManifest } from './model-manifest.js';
import { MODEL_PRESETS, type ModelKind } from './presets.js';

/** A model folder that can be loaded: pulled (with a manifest) or copied in by hand. */
export interface InstalledModel {
  /** The folder name; an embedder's id, which archives record. */
  readonly id: string;
  readonly kind: ModelKind;
  readonly dir: string;
  /** ONNX files by role ("vision", "text"; "textEncoder", "unet", "vaeDecoder"), relative to dir. */
  readonly roles: Readonly<Record<string, string>>;
  readonly preset?: string;
  readonly variant?: string;
  readonly dim?: number;
  /** Whether a pull wrote (and verified) it; hand-copied folders are recognised by their files. */
  readonly pulled: boolean;
}

/**
 * What a model folder holds. Its manifest says so when it was pulled; otherwise the folder is
 * matched against every preset's file layout, so that files copied by hand (no network on the
 * machine) load too. Undefined when the folder is neither.
 */
export function describeModelFolder(dir: string, id: string = basename(resolve(dir))): InstalledModel | undefined {
  const manifest = readModelManifest(dir);
  if (manifest) {
    return {
      id,
      kind: manifest.kind,
      dir,
      roles: manifest.roles,
      ...(manifest.preset !== undefined ? { preset: manifest.preset } : {}),
      ...(manifest.variant !== undefined ? { variant: manifest.variant } : {}),
      ...(manifest.dim !== undefined ? { dim: manifest.dim } : {}),
      pulled: true,
    };
  }
  // The ONNX files decide; a missing tokenizer or config gets the loader's own clear error.
  for (const preset of MODEL_PRESETS) {
    for (const [variant, files] of Object.entries(preset.variants)) {
      if (Object.values(files.roles).every((f) => existsSync(join(dir, f)))) {
        // The layout names a variant only when the preset has several to tell apart.
        const named = Object.keys(preset.variants).length > 1 ? { variant } : {};
        return { id, kind: preset.kind, dir, roles: files.roles, preset: preset.name, ...named, ...(preset.dim ? { dim: preset.dim } : {}), pulled: false };
      }
    }
  }
  return undefined;
}

/** Follows symbolic links: model folders are often linked in from a shared disk. */
function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Every loadable model folder directly under modelsDir, sorted by id. Sync: runs once at start-up. */
export function findInstalledModels(modelsDir: string): InstalledModel[] {
  let names: string[];
  try {
    names = readdirSync(modelsDir).filter((name) => !name.startsWith('.') && isFolder(join(modelsDir, name)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .sort()
    .map((name) => describeModelFolder(join(modelsDir, name), name))
    .filter((m): m is InstalledModel => m !== undefined);
}
