import { describe, expect, it } from 'vitest';
import { formatHitsTable } from '../../core/render/hits-table.js';

describe('formatHitsTable', () => {
  it('numbers hits from 1, aligns columns and cuts long captions', () => {
    const text = formatHitsTable(
      [
        { id: 'img-1', rank: 0, score: 0.91234, caption: 'a red car under a tree at night' },
        { id: 'img-22', rank: 1, score: -0.05, caption: 'x'.repeat(100) },
        { id: 'img-333', rank: 2, score: 0.5 },
      ],
      { captionWidth: 20 },
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^#1\s+0\.912\s+img-1\s+a red car under a t…$/);
    expect(lines[2]).toMatch(/^#2\s+-0\.050\s+img-22\s+x{19}…$/);
    expect(lines[3]).toMatch(/^#3\s+0\.500\s+img-333$/);
    // Columns line up: every id starts at the same offset.
    const idColumn = lines.slice(1).map((l) => l.indexOf('img-'));
    expect(new Set(idColumn).size).toBe(1);
  });

  it('leaves the caption column out when no hit has a caption', () => {
    const lines = formatHitsTable([
      { id: 'photo-1', rank: 0, score: 0.8 },
      { id: 'photo-2', rank: 1, score: 0.7 },
    ]).split('\n');
    expect(lines[0]).toMatch(/^\s*#\s+score\s+id$/);
    expect(lines[2]).toMatch(/^#2\s+0\.700\s+photo-2$/);
  });

  it('says so when there are no hits', () => {
    expect(formatHitsTable([])).toBe('(no hits)');
  });
});
