import { unknownArchive } from '../core/errors.js';
import type { ArchiveManifest, ArchiveStore } from '../core/ports/archive-store.js';

/** The images of one archive version, in the store's stable order. */
export interface ArchiveImages {
  /** Where the archive came from: a scored evaluation refuses a world the text tower was trained on. */
  readonly manifest: Pick<ArchiveManifest, 'name' | 'origin'>;
  readonly ids: readonly string[];
  caption(id: string): string | undefined;
}

/**
 * Enumerating an archive is not part of the Engine (a searcher never needs it); MCP needs it
 * for resource listings and seeded evaluation targets, so the front end that owns the store
 * hands it in.
 */
export interface ArchiveBrowser {
  images(archive: string): Promise<ArchiveImages>;
}

/** Browses a local archive store, re-reading an archive only when its version changed. */
export function archiveStoreBrowser(store: ArchiveStore): ArchiveBrowser {
  const cache = new Map<string, { readonly version: number; readonly images: Promise<ArchiveImages> }>();
  return {
    async images(name) {
      const manifest = (await store.list()).find((m) => m.name === name);
      if (!manifest) throw unknownArchive(name);
      const cached = cache.get(name);
      if (cached?.version === manifest.version) return cached.images;
      const images = store.open(name, { view: true }).then((archive) => {
        const captions = new Map<string, string | undefined>();
        for (const record of archive.records()) captions.set(record.id, record.caption);
        return { manifest, ids: [...captions.keys()], caption: (id: string) => captions.get(id) };
      });
      cache.set(name, { version: manifest.version, images });
      images.catch(() => cache.delete(name));
      return images;
    },
  };
}
