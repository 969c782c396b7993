import { describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import { loadPromptSet, PROMPT_NAMES, renderTemplate } from '../../../core/eval/vlm/prompts.js';

/** The values the episode passes to each v1 prompt; a template asking for more or fewer fails. */
const V1_VALUES: Record<(typeof PROMPT_NAMES)[number], Record<string, string>> = {
  system: {},
  describe: {},
  compare: { previousQuery: 'Q-PREV' },
  refine: { previousQuery: 'Q-PREV', differences: 'D-DIFF' },
  answer: { question: 'Q-QUESTION' },
  'refine-answer': { previousQuery: 'Q-PREV', question: 'Q-QUESTION', answer: 'A-ANSWER' },
  elaborate: { previousQuery: 'Q-PREV' },
};

describe('loadPromptSet', () => {
  it('loads every v1 template and fills exactly the placeholders the searcher supplies', () => {
    const prompts = loadPromptSet('v1');
    expect(prompts.version).toBe('v1');
    for (const name of PROMPT_NAMES) {
      const values = V1_VALUES[name];
      const text = prompts.render(name, values);
      expect(text.length).toBeGreaterThan(40);
      expect(text).not.toMatch(/\{\{|\}\}/);
      for (const value of Object.values(values)) expect(text).toContain(value);
    }
  });

  it('refuses versions that do not exist or are not version names', () => {
    expect(() => loadPromptSet('v999')).toThrow(/prompt version v999 not found/);
    expect(() => loadPromptSet('../v1')).toThrow(MirageError);
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
