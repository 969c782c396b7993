import type { ImageRecord } from '../../ports/archive-store.js';
import type { ImageMime } from '../../images/raw-image.js';
import { isImageMime } from '../../images/image-mime.js';
import { readJsonLines, toJsonLine, writeJsonLinesFile } from './jsonl.js';

/** What the store keeps about one stored image file, so that reading it needs no probing. */
export interface StoredImage {
  readonly mime: ImageMime;
  readonly width: number;
  readonly height: number;
}

/** One line of records.jsonl. */
export interface StoredRecord {
  readonly record: ImageRecord;
  readonly full: StoredImage;
  readonly thumb: StoredImage;
}

export async function writeRecordsFile(path: string, records: Iterable<StoredRecord>): Promise<void> {
  await writeJsonLinesFile(path, mapIterable(records, (r) => toJsonLine(r, `Record "${r.record.id}"`)));
}

/**
 * Reads records.jsonl into a map by id. Each line gets a cheap structural check (a full schema
 * validation would dominate the open time of a million-image archive) so that a damaged file is
 * reported with its line number instead of surfacing later as a confusing failure.
 */
export async function readRecordsFile(path: string): Promise<Map<string, StoredRecord>> {
  const records = new Map<string, StoredRecord>();
  let line = 0;
  for await (const value of readJsonLines(path)) {
    line++;
    if (!isStoredRecord(value)) throw new Error(`${path}: record ${line} is malformed.`);
    if (records.has(value.record.id)) throw new Error(`${path}: record ${line} repeats id "${value.record.id}".`);
    records.set(value.record.id, value);
  }
  return records;
}

/** Keeps only the fields of ImageRecord, so that nothing a caller attached is persisted. */
export function copyImageRecord(r: ImageRecord): ImageRecord {
  const copy = {
    id: r.id,
    source: r.source,
    hash: r.hash,
    width: r.width,
    height: r.height,
    bytes: r.bytes,
    createdAt: r.createdAt,
  };
  return {
    ...copy,
    ...(r.caption !== undefined ? { caption: r.caption } : {}),
    ...(r.attributes !== undefined ? { attributes: { ...r.attributes } } : {}),
  };
}

function isStoredRecord(v: unknown): v is StoredRecord {
  if (!isObject(v) || !isObject(v.record) || !isStoredImage(v.full) || !isStoredImage(v.thumb)) return false;
  const r = v.record;
  return (
    typeof r.id === 'string' &&
    typeof r.source === 'string' &&
    typeof r.hash === 'string' &&
    typeof r.width === 'number' &&
    typeof r.height === 'number' &&
    typeof r.bytes === 'number' &&
    typeof r.createdAt === 'string' &&
    (r.caption === undefined || typeof r.caption === 'string') &&
    (r.attributes === undefined || (isObject(r.attributes) && Object.values(r.attributes).every((v) => typeof v === 'string')))
  );
}

function isStoredImage(v: unknown): v is StoredImage {
  return isObject(v) && isImageMime(v.mime) && typeof v.width === 'number' && typeof v.height === 'number';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Iterable<U> {
  for (const item of items) yield f(item);
}
