import { createHash } from 'node:crypto';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const MAX_SLUG = 60;

/**
 * A file or folder name for an image id or strategy name. Ids come from archives (ingested file
 * names, URLs) and may hold "/", "..", spaces or anything else; such ids keep a readable slug
 * plus a hash of the full id, so two different ids never share a file.
 */
export function fileSafeName(id: string): string {
  if (SAFE_NAME.test(id)) return id;
  const slug = id
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, MAX_SLUG);
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 12);
  return slug ? `${slug}-${hash}` : hash;
}

/** Round numbers padded so that file listings sort in round order (the protocol allows <= 50). */
export const roundName = (round: number) => `round-${String(round).padStart(2, '0')}`;
