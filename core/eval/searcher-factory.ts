import { z } from 'zod';
import { perceptionFromTruth } from './scripted/scene-perception.js';
import { ScriptedScenesSearcher } from './scripted/scripted-searcher.js';
import { readSceneTruth } from '../scenes/truth.js';
import { validate } from '../validate.js';
import { invalidInput } from '../errors.js';
import type { Archive } from '../ports/archive-store.js';
import type { Searcher } from './searcher.js';
import { loadVlmConfig } from './vlm/vlm-config.js';
import { VlmSearcher } from './vlm/vlm-searcher.js';

export const SEARCHER_KINDS = ['scripted', 'vlm'] as const;

export const searcherSpecSchema = z.object({
  kind: z.enum(SEARCHER_KINDS).default('scripted'),
  /** Scripted searcher: how much round 0 says. */
  detail: z.enum(['sparse', 'moderate', 'full']).default('sparse'),
  pForget: z.number().min(0).max(1).default(0.1),
  pMisremember: z.number().min(0).max(1).default(0.05),
  /** Scripted searcher: chance of misperceiving each fact of a picture shown as feedback (0: perfect perception). */
  pMisperceive: z.number().min(0).max(1).default(0),
  /** VLM searcher: prompt set under core/eval/vlm/prompts/ (v1 when absent; genir-ref reproduces the paper's simulator). */
  prompts: z.string().min(1).optional(),
});
export type SearcherSpec = z.input<typeof searcherSpecSchema>;

/**
 * Builds the simulated user. The scripted one perceives through the Scenes world's ground truth,
 * so it needs a Scenes archive; the VLM one looks at pixels through an OpenAI-compatible API.
 */
export async function createSearcher(
  spec: SearcherSpec,
  archive: Archive,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Searcher> {
  const parsed = validate(searcherSpecSchema, spec, 'searcher settings');
  if (parsed.kind === 'vlm') {
    return new VlmSearcher({ config: loadVlmConfig(env), ...(parsed.prompts ? { promptVersion: parsed.prompts } : {}) });
  }
  assertNoPrompts(parsed.kind, parsed.prompts);
  const truth = await readSceneTruth(archive);
  if (truth.size === 0) {
    throw invalidInput(
      `The scripted searcher needs a Scenes archive with ground truth; "${archive.manifest.name}" has none. Use --searcher vlm for real photos.`,
    );
  }
  return new ScriptedScenesSearcher(perceptionFromTruth(truth), {
    detail: parsed.detail,
    pForget: parsed.pForget,
    pMisremember: parsed.pMisremember,
    pMisperceive: parsed.pMisperceive,
  });
}

/** Prompt sets belong to the VLM searcher; naming one for another searcher is a mistake, not a no-op. */
export function assertNoPrompts(kind: string, prompts: string | undefined): void {
  if (prompts !== undefined) {
    throw invalidInput(`Prompt sets belong to the VLM searcher; --prompts ${prompts} does not apply to the ${kind} searcher.`);
  }
}
