import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * A running hash matching a RemoteFile digest: sha256 of the bytes for LFS files, or the git
 * blob id (sha1 of "blob <size>\0" followed by the bytes) for small files.
 */
export class FileDigest {
  private readonly hash: Hash;
  private readonly scheme: string;

  constructor(expected: string, size: number) {
    const scheme = expected.slice(0, expected.indexOf(':'));
    this.scheme = scheme;
    if (scheme === 'sha256') this.hash = createHash('sha256');
    else if (scheme === 'git-sha1') this.hash = createHash('sha1').update(`blob ${size}\0`);
    else throw new Error(`unknown digest scheme in "${expected}"`);
  }

  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }

  /** Feeds a file's first `length` bytes (the already downloaded part). */
  async updateFromFile(path: string, length: number): Promise<void> {
    if (length === 0) return;
    for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) this.update(chunk as Buffer);
  }

  digest(): string {
    return `${this.scheme}:${this.hash.digest('hex')}`;
  }
}

/** The digest of a whole file, in the scheme of `expected`. */
export async function digestOfFile(path: string, expected: string, size: number): Promise<string> {
  const digest = new FileDigest(expected, size);
  await digest.updateFromFile(path, size);
  return digest.digest();
}
