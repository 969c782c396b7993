import type { SearcherProfile } from '../searcher.js';
import type { PromptSet } from './prompts.js';
import type { VlmConfig } from './vlm-config.js';

/**
 * The repetition penalty to send: the configured override, else the prompt set's; 1 (no
 * penalty) is left out so that servers which reject the field still work.
 */
export function repetitionPenaltyToSend(config: VlmConfig, prompts: PromptSet): number | undefined {
  const chosen = config.repetitionPenalty ?? prompts.sampling?.repetitionPenalty;
  return chosen === undefined || chosen === 1 ? undefined : chosen;
}

/**
 * What results.json and report.html say about a VLM searcher: its prompt set and sampling, and
 * for a set that reproduces a published simulator the known deviations, including any sampling
 * this run changed from what the set was written for.
 */
export function vlmProfile(config: VlmConfig, prompts: PromptSet, limits: { readonly maxQueryChars: number; readonly maxImageSide: number }): SearcherProfile {
  const penalty = repetitionPenaltyToSend(config, prompts);
  const budgets = Object.entries(prompts.budgets);
  const settings: Record<string, string | number> = {
    prompts: prompts.version,
    protocol: prompts.protocol,
    ...(prompts.source ? { promptSource: prompts.source } : {}),
    model: config.model,
    temperature: config.temperature,
    topP: config.topP,
    repetitionPenalty: penalty ?? 'not sent',
    maxTokens: budgets.length > 0 ? budgets.map(([call, n]) => `${call} ${n}`).join(', ') : (config.maxTokens ?? 'server default'),
    imageOrder: prompts.imagesFirst ? 'images before text' : 'text before images',
    maxQueryChars: limits.maxQueryChars,
    maxImageSide: limits.maxImageSide,
  };
  const reference = prompts.sampling;
  const changed: string[] = [];
  if (reference) {
    if (config.temperature !== reference.temperature) changed.push(`Sampling temperature ${config.temperature}; the reference used ${reference.temperature}.`);
    if (config.topP !== reference.topP) changed.push(`Sampling top_p ${config.topP}; the reference used ${reference.topP}.`);
    if (penalty !== reference.repetitionPenalty) {
      changed.push(
        `Repetition penalty ${penalty === undefined ? 'not sent' : penalty} (MIRAGE_VLM_REPETITION_PENALTY); the reference used ${reference.repetitionPenalty}.`,
      );
    }
  }
  return { settings, deviations: [...prompts.deviations, ...changed] };
}
