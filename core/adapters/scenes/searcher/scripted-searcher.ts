import { invalidInput, MirageError } from '../../../errors.js';
import type { EpisodeSearcher, Searcher, TargetImage } from '../../../eval/searcher.js';
import type { Scene } from '../scene.js';
import { formMemory } from './memory-noise.js';
import { ScriptedEpisode } from './scripted-episode.js';
import {
  INITIAL_EXTRA_FACTS,
  parseScriptedSearcherConfig,
  scriptedSearcherId,
  type ScriptedSearcherConfig,
  type ScriptedSearcherConfigInput,
} from './searcher-config.js';

/**
 * The default simulated user of the Scenes world: it knows the target's scene, remembers it
 * imperfectly (memory-noise.ts), and describes and corrects it by script. `truth` holds the
 * archive's scenes: the target's, and the retrieved images' as a stand-in for looking at them
 * (prediction feedback). It sees only what a person would be shown, never ranks or scores.
 * Deterministic given (truth, config, target, seed).
 */
export class ScriptedScenesSearcher implements Searcher {
  readonly id: string;
  readonly config: ScriptedSearcherConfig;

  constructor(
    private readonly truth: ReadonlyMap<string, Scene>,
    config: ScriptedSearcherConfigInput = {},
  ) {
    this.config = parseScriptedSearcherConfig(config);
    this.id = scriptedSearcherId(this.config);
  }

  async startEpisode(target: TargetImage, seed: number): Promise<EpisodeSearcher> {
    if (!Number.isSafeInteger(seed)) throw invalidInput(`Episode seed must be a whole number, got ${seed}.`);
    const scene = this.truth.get(target.id);
    if (!scene) {
      throw new MirageError(
        'UNKNOWN_IMAGE',
        `The scripted searcher has no ground-truth scene for target "${target.id}"; it needs the scenes of the archive's world.`,
      );
    }
    const memory = formMemory(scene, this.config, seed);
    return new ScriptedEpisode(memory, this.truth, INITIAL_EXTRA_FACTS[this.config.detail]);
  }
}
