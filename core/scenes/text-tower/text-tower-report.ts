import type { GridPoint } from './train-text-tower.js';
import type { TextTowerHeader } from './text-tower-model.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The Markdown written next to the weights: the selection grid and the held-out Recall@K. */
export function textTowerReport(header: TextTowerHeader, grid: readonly GridPoint[]): string {
  const h = header.heldOut;
  return [
    `# Scenes text tower ${header.version}`,
    '',
    `Hashed word unigrams and bigrams (${header.features}), hash size ${header.hashSize}, ridge lambda ${header.lambda},`,
    `mapped into the ${header.dim}-dimensional Scenes image embedding and scaled to unit length. See docs/text-tower.md.`,
    '',
    '## Selection (validation split of the training world, text-to-image Recall@K)',
    '',
    '| hash size | lambda | R@1 | R@5 | R@10 |',
    '|---:|---:|---:|---:|---:|',
    ...grid.map((g) => `| ${g.hashSize} | ${g.lambda} | ${pct(g.r1)} | ${pct(g.r5)} | ${pct(g.r10)} |`),
    '',
    '## Held-out world',
    '',
    `${h.descriptions} descriptions retrieve their own image among ${h.images}: R@1 ${pct(h.r1)}, R@5 ${pct(h.r5)}, R@10 ${pct(h.r10)}` +
      ` (chance R@10 ${pct(10 / h.images)}).`,
    '',
  ].join('\n');
}
