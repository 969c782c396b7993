import { describe, expect, it } from 'vitest';
import { MirageError } from '../../../core/errors.js';
import { loadVlmConfig } from '../../../core/eval/vlm/vlm-config.js';

const BASE = { MIRAGE_VLM_BASE_URL: 'http://localhost:11434/v1', MIRAGE_VLM_MODEL: 'llava:13b' };

function errorOf(run: () => unknown): MirageError {
  try {
    run();
  } catch (e) {
    if (e instanceof MirageError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('loadVlmConfig', () => {
  it('reads the environment and fills the defaults', () => {
    expect(loadVlmConfig(BASE)).toMatchObject({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llava:13b',
      temperature: 0.7,
      topP: 0.9,
      maxRetries: 5,
    });
    expect(loadVlmConfig(BASE).apiKey).toBeUndefined();
  });

  it('parses numbers and the key from the environment, with overrides on top', () => {
    const config = loadVlmConfig(
      {
        ...BASE,
        MIRAGE_VLM_API_KEY: 'sk-1',
        MIRAGE_VLM_TEMPERATURE: '0',
        MIRAGE_VLM_TOP_P: '1',
        MIRAGE_VLM_MAX_RETRIES: '2',
        MIRAGE_VLM_MAX_TOKENS: '300',
        MIRAGE_VLM_REPETITION_PENALTY: '1.05',
      },
      { maxRetries: 7 },
    );
    expect(config).toMatchObject({ apiKey: 'sk-1', temperature: 0, topP: 1, maxRetries: 7, maxTokens: 300, repetitionPenalty: 1.05 });
  });

  it.each([
    ['MIRAGE_VLM_BASE_URL', { MIRAGE_VLM_MODEL: 'm' }],
    ['MIRAGE_VLM_MODEL', { MIRAGE_VLM_BASE_URL: 'http://localhost:11434/v1' }],
    ['MIRAGE_VLM_MODEL', { MIRAGE_VLM_BASE_URL: 'http://localhost:11434/v1', MIRAGE_VLM_MODEL: '  ' }],
  ])('says to set %s when it is missing', (variable, env) => {
    const error = errorOf(() => loadVlmConfig(env));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(`not configured: set ${variable}`);
  });

  it.each([
    ['MIRAGE_VLM_BASE_URL', 'localhost:11434', /baseUrl \(MIRAGE_VLM_BASE_URL\): must be an http/],
    ['MIRAGE_VLM_BASE_URL', 'ftp://host/v1', /baseUrl \(MIRAGE_VLM_BASE_URL\): must be an http/],
    ['MIRAGE_VLM_TEMPERATURE', 'warm', /temperature \(MIRAGE_VLM_TEMPERATURE\)/],
    ['MIRAGE_VLM_TOP_P', '1.5', /topP \(MIRAGE_VLM_TOP_P\)/],
    ['MIRAGE_VLM_MAX_RETRIES', '-1', /maxRetries \(MIRAGE_VLM_MAX_RETRIES\)/],
    ['MIRAGE_VLM_REPETITION_PENALTY', '0', /repetitionPenalty \(MIRAGE_VLM_REPETITION_PENALTY\)/],
  ])('rejects %s=%s naming the variable', (variable, value, pattern) => {
    const error = errorOf(() => loadVlmConfig({ ...BASE, [variable]: value }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(pattern);
  });
});
