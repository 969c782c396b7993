import type { Hit } from '../session/session.js';
import { formatTextTable } from './text-table.js';

export interface HitsTableOptions {
  readonly captionWidth?: number;
}

/**
 * Plain-text table of hits, numbered 1..N as on the contact sheet, so the numbers a person
 * reads are the ones they type back as feedback.
 */
export function formatHitsTable(hits: readonly Hit[], options: HitsTableOptions = {}): string {
  if (hits.length === 0) return '(no hits)';
  // Photo archives without captions (and sealed evaluations) get no empty caption column.
  const captioned = hits.some((h) => h.caption !== undefined);
  return formatTextTable(
    [
      { title: '#', align: 'right' },
      { title: 'score', align: 'right' },
      { title: 'id' },
      ...(captioned ? [{ title: 'caption', maxWidth: options.captionWidth ?? 72 }] : []),
    ],
    hits.map((h) => [`#${h.rank + 1}`, h.score.toFixed(3), h.id, ...(captioned ? [h.caption ?? ''] : [])]),
  );
}
