import { listFiles } from '@huggingface/hub';

/** One file of a hub repository, with what its bytes must hash to. */
export interface RemoteFile {
  readonly path: string;
  readonly size: number;
  /**
   * "sha256:<hex>" for LFS files (the listing's LFS oid), "git-sha1:<hex>" for small files
   * (their git blob id, which is sha1 over "blob <size>\0" and the bytes).
   */
  readonly digest: string;
}

export interface HubLocation {
  readonly repo: string;
  readonly revision: string;
  readonly hubUrl?: string;
  readonly fetch?: typeof fetch;
}

/** Every file of a repository at a revision, by path. */
export async function listRepoFiles(location: HubLocation): Promise<Map<string, RemoteFile>> {
  const files = new Map<string, RemoteFile>();
  for await (const entry of listFiles({
    repo: { type: 'model', name: location.repo },
    revision: location.revision,
    recursive: true,
    ...(location.hubUrl !== undefined ? { hubUrl: location.hubUrl } : {}),
    ...(location.fetch !== undefined ? { fetch: location.fetch } : {}),
  })) {
    if (entry.type !== 'file') continue;
    const digest = entry.lfs ? `sha256:${entry.lfs.oid}` : entry.oid ? `git-sha1:${entry.oid}` : undefined;
    if (digest === undefined) continue;
    files.set(entry.path, { path: entry.path, size: entry.lfs?.size ?? entry.size, digest: digest.toLowerCase() });
  }
  return files;
}
