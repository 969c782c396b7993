import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages whose versions change results: the engine itself, images, index, models. */
export const RECORDED_PACKAGES = ['sharp', 'usearch', 'onnxruntime-node'] as const;

export interface PackageVersions {
  readonly node: string;
  readonly mirage: string | null;
  /** null when the package cannot be found (a broken or partial install). */
  readonly packages: Readonly<Record<(typeof RECORDED_PACKAGES)[number], string | null>>;
  /** The text towers the run used, by arm kind: "text" (e.g. scenes-text-tower@<version>), "text-oracle". */
  readonly textTowers?: Readonly<Record<string, string>>;
}

/**
 * Versions recorded with every evaluation, read from the installed package.json files. sharp and
 * usearch do not export their package.json, so each is found by walking up from its entry point.
 */
export async function readPackageVersions(): Promise<PackageVersions> {
  const require = createRequire(import.meta.url);
  const here = dirname(fileURLToPath(import.meta.url));
  const entries = await Promise.all(
    RECORDED_PACKAGES.map(async (name) => {
      let entry: string;
      try {
        entry = require.resolve(name);
      } catch {
        return [name, null] as const;
      }
      return [name, await versionAbove(dirname(entry), name)] as const;
    }),
  );
  return {
    node: process.version,
    // Walking up from this file finds the repository's package.json from the sources and from dist/.
    mirage: await versionAbove(here, 'mirage'),
    packages: Object.fromEntries(entries) as PackageVersions['packages'],
  };
}

/** The version in the nearest package.json at or above `dir` whose name is `name`. */
async function versionAbove(dir: string, name: string): Promise<string | null> {
  for (let current = dir; ; current = dirname(current)) {
    const text = await readFile(join(current, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const manifest = parseManifest(text);
      if (manifest?.name === name && typeof manifest.version === 'string') return manifest.version;
    }
    if (dirname(current) === current) return null;
  }
}

function parseManifest(text: string): { name?: unknown; version?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
