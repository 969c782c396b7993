import { describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import { availablePromptSets, loadPromptSet, MIRAGE_CALLS, REFERENCE_CALLS, renderTemplate } from '../../../core/eval/vlm/prompts.js';

/** The values each episode passes to each call; a template asking for more or fewer fails. */
const V1_VALUES: Record<(typeof MIRAGE_CALLS)[number], Record<string, string>> = {
  describe: {},
  compare: { previousQuery: 'Q-PREV' },
  refine: { previousQuery: 'Q-PREV', differences: 'D-DIFF' },
  answer: { question: 'Q-QUESTION' },
  'refine-answer': { previousQuery: 'Q-PREV', question: 'Q-QUESTION', answer: 'A-ANSWER' },
  elaborate: { previousQuery: 'Q-PREV' },
};

const REFERENCE_VALUES: Record<(typeof REFERENCE_CALLS)[number], Record<string, string>> = {
  describe: {},
  compare: { caption: 'C-CAP' },
  refine: { caption: 'C-CAP', comparison: 'C-CMP' },
  'prediction-describe': {},
  'prediction-refine': { caption: 'C-CAP', retrievalRank: '0' },
  'text-describe': {},
  critique: { caption: 'C-CAP' },
  'critique-refine': { caption: 'C-CAP', critique: 'C-CRIT' },
  answer: { question: 'Q-QUESTION' },
};

describe('loadPromptSet', () => {
  it('v1: one persona for every call, text before images, no budgets, no sampling of its own', () => {
    const prompts = loadPromptSet('v1');
    expect(prompts).toMatchObject({ version: 'v1', protocol: 'mirage', imagesFirst: false, budgets: {}, deviations: [] });
    expect(prompts.sampling).toBeUndefined();
    const persona = prompts.render('describe').system;
    expect(persona).toMatch(/^You are playing a person who is searching/);
    for (const name of MIRAGE_CALLS) {
      const values = V1_VALUES[name];
      const call = prompts.render(name, values);
      expect(call.system).toBe(persona);
      expect(call.maxTokens).toBeUndefined();
      expect(call.user).not.toMatch(/\{\{|\}\}/);
      for (const value of Object.values(values)) expect(call.user).toContain(value);
    }
  });

  it('genir-ref: a system message per call, images first, the reference budgets filled into the wording', () => {
    const prompts = loadPromptSet('genir-ref');
    expect(prompts).toMatchObject({ version: 'genir-ref', protocol: 'genir-ref', imagesFirst: true });
    expect(prompts.sampling).toEqual({ temperature: 0.7, topP: 0.9, repetitionPenalty: 1.1 });
    expect(prompts.source).toMatch(/mikelmh025\/generative_ir at [0-9a-f]{40}/);
    expect(prompts.budgets).toEqual({
      describe: 500,
      compare: 400,
      refine: 500,
      'prediction-describe': 200,
      'prediction-refine': 200,
      'text-describe': 200,
      critique: 200,
      'critique-refine': 200,
      answer: 200,
    });
    const systems = new Set<string>();
    for (const name of REFERENCE_CALLS) {
      const values = REFERENCE_VALUES[name];
      const call = prompts.render(name, values);
      systems.add(call.system);
      expect(call.maxTokens).toBe(prompts.budgets[name]);
      expect(`${call.system}\n${call.user}`).not.toMatch(/\{\{|\}\}/);
      for (const value of Object.values(values)) expect(call.user).toContain(value);
    }
    // Every call has its own system message (describe and text-describe share the wording, not the budget).
    expect(systems.size).toBe(REFERENCE_CALLS.length);
    expect(prompts.deviations.length).toBeGreaterThanOrEqual(5);
    expect(prompts.deviations.some((d) => d.includes('77 tokens'))).toBe(true);
  });

  it('genir-ref keeps the reference wording, token budget and layout of each call', () => {
    const prompts = loadPromptSet('genir-ref');
    expect(prompts.render('describe').system).toBe(
      'You are an image captioning assistant that creates concise but detailed descriptions for use in text-to-image diffusion models. Keep your description under 500 tokens.',
    );
    expect(prompts.render('text-describe').system).toMatch(/Keep your description under 200 tokens\.$/);
    expect(prompts.render('compare', { caption: 'a dog' }).user).toMatch(
      /^Here is the Original caption of the first image: a dog\. Based on the caption someone drew the second image\./,
    );
    expect(prompts.render('compare', { caption: 'a dog' }).system).toMatch(/Keep your analysis under 400 tokens\.$/);
    expect(prompts.render('refine', { caption: 'a dog', comparison: 'it is a cat' }).user).toContain(
      "Here is the comparison feedback: \n\nit is a cat\n\nPrevious caption: 'a dog'\n\nPlease provide an improved caption",
    );
    expect(prompts.render('prediction-refine', { caption: 'a dog', retrievalRank: '0' }).user).toContain(
      'My current query is: "a dog"\n\nWhen I used this query for image retrieval, I got a result that ranked at position 0. ',
    );
    const critique = prompts.render('critique', { caption: 'a dog' });
    expect(critique.system).toBe(
      'You are a detail critic in an iterative caption refinement process. Your goal is to help improve image captions by identifying issues and suggesting improvements.',
    );
    expect(critique.user).toContain("You are playing the role of a 'Detail Critic'");
    expect(critique.user).toContain('Keep your critique under 200 tokens.');
    expect(prompts.render('critique-refine', { caption: 'a dog', critique: 'say the breed' }).user).toMatch(
      /^Based on this critique: "say the breed", refine the following caption: "a dog"\..*Keep your response under 200 tokens\.$/,
    );
  });

  it('lists the sets and refuses ones that do not exist or are not folder names', () => {
    expect(availablePromptSets()).toEqual(expect.arrayContaining(['genir-ref', 'v1']));
    expect(() => loadPromptSet('v999')).toThrow(/prompt set v999 not found; available: .*genir-ref.*v1/);
    expect(() => loadPromptSet('../v1')).toThrow(MirageError);
    expect(() => loadPromptSet('GENIR')).toThrow(/must be a folder name/);
  });

  it('refuses a call the set does not have', () => {
    expect(() => loadPromptSet('v1').render('critique', { caption: 'x' })).toThrow('VLM prompt set v1 has no critique call.');
  });
});

describe('renderTemplate', () => {
  it('fills placeholders, allowing inner spaces and repeats', () => {
    expect(renderTemplate('t', 'A {{x}} and {{ x }} then {{y}}.', { x: '1', y: '$&2' })).toBe('A 1 and 1 then $&2.');
  });

  it('fails on a placeholder without a value and on a value without a placeholder', () => {
    expect(() => renderTemplate('v1/refine', 'see {{differences}}', {})).toThrow('Prompt v1/refine needs a value for {{differences}}.');
    expect(() => renderTemplate('v1/describe', 'plain', { extra: 'x' })).toThrow('Prompt v1/describe has no placeholder for: extra.');
  });
});
