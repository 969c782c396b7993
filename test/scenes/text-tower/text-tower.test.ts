import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../../core/random/prng.js';
import { deriveSeed } from '../../../core/random/seed.js';
import { DEFAULT_RENDER_SIZE, renderScene } from '../../../core/scenes/renderer.js';
import { sceneAt } from '../../../core/scenes/sampler.js';
import { ScenesImageEmbedder } from '../../../core/scenes/scenes-image-embedder.js';
import { personDescription } from '../../../core/scenes/text-tower/person-descriptions.js';
import { ScenesTextTower } from '../../../core/scenes/text-tower/scenes-text-tower.js';
import { textToImageRecall } from '../../../core/scenes/text-tower/text-recall.js';
import { loadTextTower, TEXT_TOWER_FILE, textTowerVersion } from '../../../core/scenes/text-tower/text-tower-model.js';
import { isTextTowerSeed } from '../../../core/scenes/text-tower/training-seeds.js';

const WEIGHTS = fileURLToPath(new URL('../../../core/scenes/text-tower/weights/', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mirage-tower-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the committed text tower', () => {
  it('loads, and its weights hash to the version in its header', async () => {
    const { header } = loadTextTower([WEIGHTS]);
    const bytes = await readFile(join(WEIGHTS, `${TEXT_TOWER_FILE}.f16`));
    expect(textTowerVersion(header.hashSize, header.dim, bytes)).toBe(header.version);
    expect(header.dim).toBe(new ScenesImageEmbedder().dim);
    expect(bytes.length).toBe((header.hashSize + 1) * header.dim * 2);
    // Small enough to commit.
    expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
  });

  it('refuses weights that do not match their header', async () => {
    const dir = join(scratch, 'tampered/');
    await mkdir(dir);
    await copyFile(join(WEIGHTS, `${TEXT_TOWER_FILE}.json`), join(dir, `${TEXT_TOWER_FILE}.json`));
    const bytes = await readFile(join(WEIGHTS, `${TEXT_TOWER_FILE}.f16`));
    bytes[100] = bytes[100]! ^ 0x01;
    await writeFile(join(dir, `${TEXT_TOWER_FILE}.f16`), bytes);
    expect(() => loadTextTower([dir])).toThrow(/hash to/);
  });

  it('embeds a description as a deterministic unit vector and refuses an empty one', async () => {
    const tower = new ScenesTextTower();
    expect(tower.id).toBe(`scenes-text-tower@${tower.version}`);
    const [a, b, c] = await tower.embedTexts(['A red car at night', 'a red car at night', 'two dogs on the beach']);
    expect(a!.length).toBe(tower.dim);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect([...b!]).toEqual([...a!]);
    expect([...c!]).not.toEqual([...a!]);
    await expect(tower.embedTexts(['  '])).rejects.toThrow(/empty/);
  });

  it('finds the described image in a small unseen world far above chance', async () => {
    const seed = 77;
    expect(isTextTowerSeed(seed)).toBe(false);
    const size = 150;
    const embedder = new ScenesImageEmbedder();
    const images = await Promise.all(
      Array.from({ length: size }, async (_, i) =>
        embedder.embedImage(await renderScene(sceneAt(seed, i), { size: DEFAULT_RENDER_SIZE, jitterSeed: deriveSeed(seed, i, 'jitter') })),
      ),
    );
    const texts = images.map((_, i) => personDescription(sceneAt(seed, i), new Prng(deriveSeed('tower-test', i))));
    const queries = await new ScenesTextTower().embedTexts(texts);
    const recall = textToImageRecall(queries, images.map((_, i) => i), images);
    const chance = 10 / size;
    console.info(`text tower on ${size} unseen images: R@1 ${recall.r1.toFixed(3)}, R@5 ${recall.r5.toFixed(3)}, R@10 ${recall.r10.toFixed(3)} (chance ${chance.toFixed(3)})`);
    expect(recall.r10).toBeGreaterThan(3 * chance);
    expect(recall.r1).toBeGreaterThan(1 / size);
  }, 60_000);
});
