import type { InstalledModel } from '../models/installed-models.js';
import type { ModelPreset } from '../models/presets.js';
import { formatTextTable } from './text-table.js';

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

/** Presets with their variants and sizes, then what is installed in the models folder. */
export function formatModelsTable(presets: readonly ModelPreset[], installed: readonly InstalledModel[]): string {
  const byId = new Map(installed.map((m) => [m.id, m]));
  const presetRows = presets.map((p) => {
    const here = byId.get(p.name);
    return [
      p.name,
      p.kind,
      Object.entries(p.variants)
        .map(([name, v]) => `${name} ~${formatBytes(v.approxBytes)}`)
        .join(', '),
      p.repo,
      here ? `${here.variant ?? 'yes'}${here.pulled ? '' : ' (copied by hand)'}` : '-',
    ];
  });
  const table = formatTextTable(
    [{ title: 'preset' }, { title: 'kind' }, { title: 'variants (download size)' }, { title: 'hub repository' }, { title: 'installed' }],
    presetRows,
  );
  const others = installed.filter((m) => !presets.some((p) => p.name === m.id));
  if (others.length === 0) return table;
  const otherTable = formatTextTable(
    [{ title: 'folder' }, { title: 'kind' }, { title: 'layout of' }],
    others.map((m) => [m.id, m.kind, m.preset ? `${m.preset} ${m.variant ?? ''}`.trim() : '-']),
  );
  return `${table}\n\nOther model folders:\n${otherTable}`;
}
