import { downloadFile } from '@huggingface/hub';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileSize } from '../fs/file-size.js';
import { MirageError } from '../errors.js';
import { fsyncDirectory } from '../fs/atomic-write.js';
import { digestOfFile, FileDigest } from './file-digest.js';
import type { HubLocation, RemoteFile } from './hub-listing.js';

/** present: already complete and verified; resumed: continued from an earlier partial download. */
export type FileOutcome = 'present' | 'downloaded' | 'resumed';

export interface FetchFileOptions {
  readonly location: HubLocation;
  readonly remote: RemoteFile;
  /** Final path; bytes arrive in `<target>.part` and are renamed once verified. */
  readonly target: string;
  readonly signal?: AbortSignal;
  /** Bytes of this file now on disk and verified or being verified (including a resumed part). */
  readonly onBytes?: (bytes: number) => void;
}

export const PART_SUFFIX = '.part';

/**
 * Makes `target` hold the remote file, verified against the size and digest the hub lists.
 * A complete file already there is checked and kept; a `.part` left by an interrupted pull is
 * continued with an HTTP range request. A size or digest mismatch deletes the partial file
 * (its bytes cannot be trusted); a network failure keeps it for the next run.
 */
export async function fetchVerifiedFile(options: FetchFileOptions): Promise<FileOutcome> {
  const { remote, target } = options;
  const onBytes = options.onBytes ?? (() => {});
  await mkdir(dirname(target), { recursive: true });
  const existing = await fileSize(target);
  if (existing === remote.size && (await digestOfFile(target, remote.digest, remote.size)) === remote.digest) {
    onBytes(remote.size);
    return 'present';
  }
  if (existing !== undefined) await rm(target, { force: true });

  const part = target + PART_SUFFIX;
  let have = (await fileSize(part)) ?? 0;
  if (have > remote.size) {
    await rm(part, { force: true });
    have = 0;
  }
  const digest = new FileDigest(remote.digest, remote.size);
  await digest.updateFromFile(part, have);
  onBytes(have);
  if (have < remote.size) await appendRemainder(options, part, have, digest, onBytes);
  else if (remote.size === 0) await (await open(part, 'a')).close();

  const actual = digest.digest();
  if (actual !== remote.digest) {
    await rm(part, { force: true });
    throw new MirageError('MODEL_ERROR', `${remote.path}: checksum mismatch (the hub lists ${remote.digest}, the download hashes to ${actual}); the damaged file was deleted, run the pull again.`);
  }
  await rename(part, target);
  await fsyncDirectory(dirname(target));
  return have > 0 ? 'resumed' : 'downloaded';
}

async function appendRemainder(
  options: FetchFileOptions,
  part: string,
  have: number,
  digest: FileDigest,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const { location, remote, signal } = options;
  const baseFetch = location.fetch ?? fetch;
  const blob = await downloadFile({
    repo: { type: 'model', name: location.repo },
    path: remote.path,
    revision: location.revision,
    ...(location.hubUrl !== undefined ? { hubUrl: location.hubUrl } : {}),
    fetch: (input, init) => baseFetch(input, { ...init, ...(signal ? { signal } : {}) }),
  });
  if (blob === null) throw new MirageError('MODEL_ERROR', `${remote.path}: the hub lists it but will not serve it (not found).`);
  if (blob.size !== remote.size) {
    await rm(part, { force: true });
    throw new MirageError('MODEL_ERROR', `${remote.path}: size mismatch (the listing says ${remote.size} bytes, the server offers ${blob.size}).`);
  }

  let done = have;
  const file = await open(part, 'a');
  try {
    for await (const chunk of blob.slice(have).stream()) {
      signal?.throwIfAborted();
      const bytes = chunk as Uint8Array;
      done += bytes.byteLength;
      // A server that ignored the range request would resend the file from its first byte.
      if (done > remote.size) throw new SizeOverrun();
      digest.update(bytes);
      await file.write(bytes);
      onBytes(bytes.byteLength);
    }
    await file.sync();
  } catch (e) {
    await file.close();
    if (e instanceof SizeOverrun) {
      await rm(part, { force: true });
      throw new MirageError('MODEL_ERROR', `${remote.path}: size mismatch (the server sent more than the ${remote.size} bytes listed); the partial file was deleted, run the pull again.`);
    }
    if (signal?.aborted) throw e;
    throw interrupted(remote, done, e);
  }
  await file.close();
  if (done < remote.size) throw interrupted(remote, done, undefined);
}

class SizeOverrun extends Error {}

function interrupted(remote: RemoteFile, done: number, cause: unknown): MirageError {
  const reason = cause === undefined ? 'the connection closed early' : cause instanceof Error ? cause.message : String(cause);
  return new MirageError(
    'MODEL_ERROR',
    `${remote.path}: the download stopped after ${done} of ${remote.size} bytes (${reason}); run the pull again to resume it.`,
    cause === undefined ? undefined : { cause },
  );
}

