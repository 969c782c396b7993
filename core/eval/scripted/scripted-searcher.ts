import { invalidInput } from '../../errors.js';
import type { EpisodeSearcher, Searcher, TargetImage } from '../searcher.js';
import { formMemory } from './memory-noise.js';
import { misperceive } from './perception-noise.js';
import type { ScenePerception } from './scene-perception.js';
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
 * imperfectly (memory-noise.ts), and describes and corrects it by script. It looks at archive
 * images only through `perceive`, and only at those it is shown: the target, and the top-1
 * image of prediction feedback. It sees only what a person would be shown, never ranks or
 * scores. Its perception of shown pictures is perfect unless pMisperceive > 0
 * (perception-noise.ts). Deterministic given (perception, config, target, seed).
 */
export class ScriptedScenesSearcher implements Searcher {
  readonly id: string;
  readonly config: ScriptedSearcherConfig;

  constructor(
    private readonly perceive: ScenePerception,
    config: ScriptedSearcherConfigInput = {},
  ) {
    this.config = parseScriptedSearcherConfig(config);
    this.id = scriptedSearcherId(this.config);
  }

  async startEpisode(target: TargetImage, seed: number): Promise<EpisodeSearcher> {
    if (!Number.isSafeInteger(seed)) throw invalidInput(`Episode seed must be a whole number, got ${seed}.`);
    const memory = formMemory(this.perceive(target), this.config, seed);
    const { pMisperceive } = this.config;
    return new ScriptedEpisode(memory, this.perceive, INITIAL_EXTRA_FACTS[this.config.detail], (scene, round, picture) =>
      misperceive(scene, pMisperceive, seed, round, picture),
    );
  }
}
