export type Align = 'left' | 'right';

export interface TextColumn {
  readonly title: string;
  readonly align?: Align;
  /** Longer cells are cut with an ellipsis (terminals and chat messages wrap badly). */
  readonly maxWidth?: number;
}

/** Fixed-width text table for terminals and code blocks in chat messages. */
export function formatTextTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => columns.map((col, c) => cut(row[c] ?? '', col.maxWidth)));
  const widths = columns.map((col, c) => Math.max(col.title.length, ...cells.map((r) => Array.from(r[c] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => {
        const pad = ' '.repeat(Math.max(0, (widths[c] ?? 0) - Array.from(cell).length));
        return columns[c]?.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)].join('\n');
}

function cut(text: string, maxWidth: number | undefined): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (maxWidth === undefined || chars.length <= maxWidth) return chars.join('');
  return `${chars.slice(0, Math.max(1, maxWidth - 1)).join('')}…`;
}
