/**
 * One thing an ingestion run was asked to take in: a file, a URL, or something already known
 * to be unusable (with the reason it is listed under in the report).
 */
export type ImageSource =
  | {
      readonly kind: 'file';
      readonly source: string;
      readonly path: string;
      /** Given by the caller (an IngestItem): duplicates are judged by id, not by bytes. */
      readonly id?: string;
      readonly attributes?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'url'; readonly source: string; readonly url: string }
  | { readonly kind: 'skip'; readonly source: string; readonly reason: string };

/** Thrown while reading or preparing one image: the image is skipped, the run goes on. */
export class SkippedImage extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SkippedImage';
  }
}
