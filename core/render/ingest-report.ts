import type { IngestReport } from '../ports/ingestion.js';
import { formatTextTable } from './text-table.js';

/** Cap on listed skips: a folder of 50,000 unreadable files must not flood a terminal or chat. */
const MAX_LISTED_SKIPS = 200;

/**
 * What an ingestion run did, for people: counts, then every skipped input with its reason.
 * `display` shortens paths (relative to the working folder in the CLI).
 */
export function formatIngestReport(report: IngestReport, display: (source: string) => string = (s) => s): string {
  const lines = [
    `Archive "${report.archive}": ${report.added} added, ${report.duplicates} already there (same bytes), ` +
      `${report.skipped.length} skipped, of ${report.total} found.`,
  ];
  if (report.skipped.length > 0) {
    const listed = report.skipped.slice(0, MAX_LISTED_SKIPS);
    lines.push('', 'Skipped:', indent(formatTextTable([{ title: 'source', maxWidth: 80 }, { title: 'reason' }], listed.map((s) => [display(s.source), s.reason]))));
    if (report.skipped.length > listed.length) lines.push(`  … and ${report.skipped.length - listed.length} more (use --json for all).`);
  }
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
