import { mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { invalidInput } from '../errors.js';

/**
 * What one ingestion may read. The local CLI reads whatever its user can: paths anywhere, URLs
 * on this machine and the local network. An ingestion someone else asked for (an MCP client, a
 * chat bot, a queue job) must not turn the server into a reader of its files or a client of its
 * network: its paths are confined to the operator's roots and its URLs to public addresses,
 * unless the operator opens the private network.
 */
export interface IngestAccess {
  /** Folders that the source and every path it lists must lie in (links resolved); undefined: anywhere. */
  readonly roots?: readonly string[];
  /**
   * The folder where front ends hand over files they fetched themselves (a chat bot's
   * attachments): readable besides the roots, and made when missing.
   */
  readonly staging?: string;
  /** Whether URLs may reach loopback and private network addresses (link-local and metadata never). */
  readonly privateNetwork: boolean;
}

/** The local CLI's access: its user's own files and network. */
export const LOCAL_ACCESS: IngestAccess = { privateNetwork: true };

/** Whether ingestion requests come from this machine's user or from others (MCP, a bot, the queue). */
export type IngestAccessKind = 'local' | 'remote';

/** Where front ends put files for ingestion, under the data folder every process shares. */
export const stagingFolder = (dataDir: string): string => join(dataDir, 'staging');

/**
 * The access of a request from others, from the operator's settings (MIRAGE_INGEST_ROOTS,
 * MIRAGE_INGEST_PRIVATE_NETWORK); with the data folder, its staging folder is readable too.
 */
export function remoteAccess(settings: { readonly ingestRoots: readonly string[]; readonly ingestPrivateNetwork: boolean; readonly dataDir?: string }): IngestAccess {
  return {
    roots: settings.ingestRoots,
    ...(settings.dataDir !== undefined ? { staging: stagingFolder(settings.dataDir) } : {}),
    privateNetwork: settings.ingestPrivateNetwork,
  };
}

/**
 * Checks paths against an access's roots. Each path is resolved (symbolic links included) before
 * the check, and callers read the resolved path, so a link inside a root cannot lead outside it.
 */
export class PathGuard {
  private constructor(
    private readonly roots: readonly string[] | undefined,
    /** Whether the operator named any root (the staging folder alone does not count). */
    private readonly operatorRoots = 0,
  ) {}

  static async of(access: IngestAccess): Promise<PathGuard> {
    if (access.roots === undefined) return new PathGuard(undefined);
    const roots = await Promise.all(
      access.roots.map((root) =>
        realpath(root).catch(() => {
          throw invalidInput(`The ingest root ${root} does not exist (MIRAGE_INGEST_ROOTS).`);
        }),
      ),
    );
    if (access.staging === undefined) return new PathGuard(roots, roots.length);
    await mkdir(access.staging, { recursive: true });
    return new PathGuard([...roots, await realpath(access.staging)], roots.length);
  }

  /** The path to read: the resolved path when it lies in a root, undefined when it does not. Throws what realpath throws (ENOENT). */
  async inside(path: string): Promise<string | undefined> {
    if (this.roots === undefined) return path;
    const real = await realpath(path);
    return this.roots.some((root) => isWithin(root, real)) ? real : undefined;
  }

  /** For the source of a run: refuses one outside the roots with a message that says what to do. */
  async assertSource(source: string): Promise<void> {
    if (this.roots === undefined) return;
    if (this.operatorRoots === 0 && !(await this.inside(source).catch(() => undefined))) {
      throw invalidInput('Ingestion requested from here may only read folders the operator allows, and none is set (MIRAGE_INGEST_ROOTS).');
    }
    const real = await this.inside(source).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw invalidInput(`${source} does not exist; pass a folder of images or a text file listing them.`);
      throw e;
    });
    if (real === undefined) throw invalidInput(`${source} is outside the folders this server may ingest from (MIRAGE_INGEST_ROOTS).`);
  }
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
