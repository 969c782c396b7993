import type { ArchiveManifest } from '../ports/archive-store.js';
import { formatTextTable } from './text-table.js';

function describeOrigin(manifest: ArchiveManifest): string {
  return manifest.origin.kind === 'scenes' ? `scenes world (seed ${manifest.origin.seed})` : 'ingested';
}

export function formatArchivesTable(archives: readonly ArchiveManifest[]): string {
  if (archives.length === 0) return '(no archives)';
  return formatTextTable(
    [
      { title: 'name' },
      { title: 'images', align: 'right' },
      { title: 'embedder' },
      { title: 'dim', align: 'right' },
      { title: 'quant' },
      { title: 'origin' },
      { title: 'updated' },
    ],
    archives.map((a) => [
      a.name,
      String(a.count),
      a.embedder,
      String(a.dim),
      a.quantization,
      describeOrigin(a),
      a.updatedAt,
    ]),
  );
}

/** Multi-line summary of one archive, printed after it is built. */
export function formatArchiveSummary(manifest: ArchiveManifest): string {
  return [
    `Archive "${manifest.name}"`,
    `  images:        ${manifest.count}`,
    `  origin:        ${describeOrigin(manifest)}`,
    `  embedder:      ${manifest.embedder} (${manifest.dim} dimensions, ${manifest.quantization})`,
    `  version:       ${manifest.version}`,
    `  updated:       ${manifest.updatedAt}`,
  ].join('\n');
}
