import { describe, expect, it } from 'vitest';
import {
  parseScriptedSearcherConfig,
  scriptedSearcherId,
} from '../../../core/eval/scripted/searcher-config.js';
import { MirageError } from '../../../core/errors.js';

describe('scripted searcher configuration', () => {
  it('has defaults and names them in the id', () => {
    const config = parseScriptedSearcherConfig({});
    expect(config).toEqual({ detail: 'sparse', pForget: 0.1, pMisremember: 0.05, pMisperceive: 0 });
    expect(scriptedSearcherId(config)).toBe('scripted:sparse:f0.1:m0.05');
    expect(scriptedSearcherId(parseScriptedSearcherConfig({ detail: 'full', pForget: 0, pMisremember: 0.2 }))).toBe(
      'scripted:full:f0:m0.2',
    );
  });

  it.each([
    [{ pForget: 1.5 }, /pForget/],
    [{ pMisremember: -0.1 }, /pMisremember/],
    [{ pForget: 0.7, pMisremember: 0.5 }, /at most 1/],
    [{ detail: 'chatty' }, /detail/],
    [{ pForget: 0.1, noise: 3 }, /noise|Unrecognized/i],
  ])('rejects %j with a specific message', (input, message) => {
    let error: unknown;
    try {
      parseScriptedSearcherConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MirageError);
    expect((error as MirageError).code).toBe('INVALID_INPUT');
    expect((error as MirageError).message).toMatch(message);
  });
});
