import { Prng } from '../../random/prng.js';
import { deriveSeed } from '../../random/seed.js';
import { DEFAULT_RENDER_SIZE, renderScene } from '../renderer.js';
import { sceneAt } from '../sampler.js';
import { ScenesImageEmbedder } from '../scenes-image-embedder.js';
import { personDescription } from './person-descriptions.js';
import { fitRidge } from './ridge.js';
import { hashedFeatures } from './text-features.js';
import { TEXT_FEATURES_ID, TextTowerModel, textTowerVersion, type TextTowerHeader } from './text-tower-model.js';
import { textToImageRecall, type TextToImageRecall } from './text-recall.js';
import { TEXT_TOWER_SEEDS } from './training-seeds.js';

/**
 * What `mirage text-tower train` does, fixed here so that the committed weights can be remade
 * exactly: the grid, the split and the sizes are part of the tower's definition.
 */
export const TEXT_TOWER_RECIPE = {
  /** Images of the training world; the last `validationImages` of them only choose the grid point. */
  trainingImages: 3000,
  validationImages: 600,
  descriptionsPerImage: 4,
  heldOutImages: 1000,
  heldOutDescriptionsPerImage: 2,
  hashSizes: [512, 1024, 2048],
  lambdas: [0.01, 0.1, 1, 10],
  /** Seed of the descriptions (the worlds have their own reserved seeds). */
  seed: 1,
} as const;

export type TextTowerRecipe = typeof TEXT_TOWER_RECIPE;

export interface GridPoint extends TextToImageRecall {
  readonly hashSize: number;
  readonly lambda: number;
}

export interface TrainedTextTower {
  readonly header: TextTowerHeader;
  readonly bytes: Buffer;
  readonly grid: readonly GridPoint[];
}

interface Pairs {
  readonly images: Float32Array[];
  readonly texts: string[];
  /** Index into images of each text's image. */
  readonly owners: number[];
}

/**
 * Trains the tower: pairs from the training world (seed TEXT_TOWER_SEEDS.train), every grid
 * point fitted on its first images and scored by text-to-image Recall@10 on the rest, the best
 * (ties: the earlier point) refitted on the whole training world, rounded to half floats and
 * scored on the held-out world (TEXT_TOWER_SEEDS.heldOut). No evaluation archive is involved.
 */
export async function trainTextTower(
  recipe: TextTowerRecipe = TEXT_TOWER_RECIPE,
  log: (line: string) => void = () => {},
): Promise<TrainedTextTower> {
  const embedder = new ScenesImageEmbedder();
  log(`Rendering ${recipe.trainingImages} training-world images (seed ${TEXT_TOWER_SEEDS.train})...`);
  const training = await worldPairs(embedder, TEXT_TOWER_SEEDS.train, recipe.trainingImages, recipe.descriptionsPerImage, recipe.seed);
  const fitImages = recipe.trainingImages - recipe.validationImages;
  const fit = subset(training, (owner) => owner < fitImages);
  const validation = subset(training, (owner) => owner >= fitImages);

  const grid: GridPoint[] = [];
  log('| hash size | lambda | R@1 | R@5 | R@10 |');
  log('|---:|---:|---:|---:|---:|');
  for (const hashSize of recipe.hashSizes) {
    const rows = fit.texts.map((t) => hashedFeatures(t, hashSize));
    const targets = fit.owners.map((o) => fit.images[o]!);
    for (const lambda of recipe.lambdas) {
      const ridge = fitRidge(rows, targets, hashSize, lambda);
      const model = TextTowerModel.fromFit(hashSize, embedder.dim, ridge.weights, ridge.bias);
      const recall = textToImageRecall(validation.texts.map((t) => model.embed(t)), validation.owners, validation.images);
      grid.push({ hashSize, lambda, ...recall });
      log(`| ${hashSize} | ${lambda} | ${pct(recall.r1)} | ${pct(recall.r5)} | ${pct(recall.r10)} |`);
    }
  }
  const best = grid.reduce((a, b) => (b.r10 > a.r10 ? b : a));
  log(`Chosen by validation R@10: hash size ${best.hashSize}, lambda ${best.lambda}. Refitting on all ${recipe.trainingImages} training images.`);

  const rows = training.texts.map((t) => hashedFeatures(t, best.hashSize));
  const ridge = fitRidge(rows, training.owners.map((o) => training.images[o]!), best.hashSize, best.lambda);
  const model = TextTowerModel.fromFit(best.hashSize, embedder.dim, ridge.weights, ridge.bias);
  const bytes = model.toBytes();

  log(`Rendering ${recipe.heldOutImages} held-out-world images (seed ${TEXT_TOWER_SEEDS.heldOut})...`);
  const heldOut = await worldPairs(embedder, TEXT_TOWER_SEEDS.heldOut, recipe.heldOutImages, recipe.heldOutDescriptionsPerImage, recipe.seed);
  const recall = textToImageRecall(heldOut.texts.map((t) => model.embed(t)), heldOut.owners, heldOut.images);
  log(`Held-out world: text-to-image R@1 ${pct(recall.r1)}, R@5 ${pct(recall.r5)}, R@10 ${pct(recall.r10)} (${heldOut.texts.length} descriptions, ${heldOut.images.length} images; chance R@10 ${pct(10 / heldOut.images.length)}).`);

  const header: TextTowerHeader = {
    format: 'mirage-text-tower/1',
    version: textTowerVersion(best.hashSize, embedder.dim, bytes),
    features: TEXT_FEATURES_ID,
    hashSize: best.hashSize,
    dim: embedder.dim,
    lambda: best.lambda,
    training: { recipe, worldSeeds: TEXT_TOWER_SEEDS, imageEmbedder: embedder.id, selection: grid },
    heldOut: { ...recall, images: heldOut.images.length, descriptions: heldOut.texts.length },
  };
  return { header, bytes, grid };
}

async function worldPairs(embedder: ScenesImageEmbedder, worldSeed: number, count: number, perImage: number, seed: number): Promise<Pairs> {
  const images: Float32Array[] = [];
  const texts: string[] = [];
  const owners: number[] = [];
  const batch = 32;
  for (let start = 0; start < count; start += batch) {
    const indices = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
    // Rendered exactly as buildWorld renders scene i of a world.
    const pixels = await Promise.all(
      indices.map((i) => renderScene(sceneAt(worldSeed, i), { size: DEFAULT_RENDER_SIZE, jitterSeed: deriveSeed(worldSeed, i, 'jitter') })),
    );
    for (const [k, i] of indices.entries()) {
      images.push(embedder.embedImage(pixels[k]!));
      const scene = sceneAt(worldSeed, i);
      for (let j = 0; j < perImage; j++) {
        texts.push(personDescription(scene, new Prng(deriveSeed('text-tower', seed, worldSeed, i, j))));
        owners.push(i);
      }
    }
  }
  return { images, texts, owners };
}

function subset(pairs: Pairs, keep: (owner: number) => boolean): Pairs {
  const kept = pairs.images.map((_, i) => i).filter(keep);
  const renumber = new Map(kept.map((old, i) => [old, i]));
  const texts: string[] = [];
  const owners: number[] = [];
  pairs.texts.forEach((t, i) => {
    const owner = renumber.get(pairs.owners[i]!);
    if (owner !== undefined) {
      texts.push(t);
      owners.push(owner);
    }
  });
  return { images: kept.map((i) => pairs.images[i]!), texts, owners };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
