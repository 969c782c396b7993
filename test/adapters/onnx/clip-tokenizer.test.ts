import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipTokenizer } from '../../../core/adapters/onnx/clip-tokenizer.js';
import { clipTokenizerJson } from '../../../core/adapters/onnx/clip-tokenizer-json.js';
import { copyFixture, fixture } from './fixture-paths.js';

const vocab = JSON.parse(await readFile(fixture('sd-turbo', 'tokenizer', 'vocab.json'), 'utf8')) as Record<string, number>;
const id = (token: string): number => {
  const value = vocab[token];
  if (value === undefined) throw new Error(`fixture vocabulary lacks ${token}`);
  return value;
};
const BOS = id('<|startoftext|>');
const EOS = id('<|endoftext|>');

describe('ClipTokenizer', () => {
  it('pads OpenAI CLIP text with <|endoftext|> to 77 tokens, masking the padding', async () => {
    const tokenizer = await ClipTokenizer.load(fixture('clip'));
    const batch = tokenizer.encode(['a red car']);
    expect(batch.length).toBe(77);
    expect(batch.ids).toHaveLength(77);
    const words = [id('a</w>'), id('red</w>'), id('car</w>')];
    expect(batch.ids).toEqual([BOS, ...words, EOS, ...new Array(72).fill(EOS)]);
    expect(batch.attentionMask).toEqual([1, 1, 1, 1, 1, ...new Array(72).fill(0)]);
  });

  it('pads the SD-Turbo text encoder\'s text with its own pad token "!", from vocab.json + merges.txt', async () => {
    const tokenizer = await ClipTokenizer.load(fixture('sd-turbo', 'tokenizer'));
    expect(tokenizer.padId).toBe(id('!'));
    const batch = tokenizer.encode(['a red car']);
    expect(batch.ids.slice(0, 6)).toEqual([BOS, id('a</w>'), id('red</w>'), id('car</w>'), EOS, id('!')]);
    expect(new Set(batch.ids.slice(5))).toEqual(new Set([id('!')]));
  });

  it('treats the pad token "!" as the special token it is in the reference tokenizer', async () => {
    // transformers registers every special token the config names (bos, eos, unk, pad) as an
    // added token and splits the raw text on it before BPE, so in SD-Turbo's tokenizer a "!" in
    // the prompt is the token "!" (the pad id), never BPE's end-of-word "!</w>" or a merge.
    // OpenAI CLIP pads with <|endoftext|>, so there "!" stays ordinary text.
    const words = [id('a</w>'), id('red</w>'), id('car</w>')];
    for (const folder of [fixture('sd-turbo', 'tokenizer'), fixture('sd-turbo-fp16', 'tokenizer')]) {
      const tokenizer = await ClipTokenizer.load(folder);
      expect(tokenizer.encode(['a red car!']).ids.slice(0, 6), folder).toEqual([BOS, ...words, id('!'), EOS]);
      // "car!!" -> "car" "!" "!"; "!red" -> "!" "red": the pieces around "!" are tokenized on their own.
      expect(tokenizer.encode(['a red car!! !red']).ids.slice(0, 9), folder).toEqual([BOS, ...words, id('!'), id('!'), id('!'), id('red</w>'), EOS]);
    }
    const clip = await ClipTokenizer.load(fixture('clip'));
    expect(clip.encode(['a red car!']).ids.slice(0, 6)).toEqual([BOS, ...words, id('!</w>'), EOS]);
  });

  it('registers the added tokens a tokenizer_config.json lists in added_tokens_decoder', async () => {
    // transformers' newer configs list their added tokens with ids; such a token is split out of
    // the raw text like a special token, even when the config names it in no *_token key.
    const { dir, cleanup } = await copyFixture('clip');
    try {
      const config = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
      const bang = { content: '!', lstrip: false, normalized: false, rstrip: false, single_word: false, special: true };
      await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, added_tokens_decoder: { [String(id('!'))]: bang } }));
      const tokenizer = await ClipTokenizer.load(dir);
      expect(tokenizer.encode(['car!']).ids.slice(0, 4)).toEqual([BOS, id('car</w>'), id('!'), EOS]);
    } finally {
      await cleanup();
    }
  });

  it('truncates a prompt by its text tokens, "!" included, keeping the closing <|endoftext|>', async () => {
    const tokenizer = await ClipTokenizer.load(fixture('sd-turbo', 'tokenizer'));
    // transformers truncates the text's tokens to length − 2 and then adds <|startoftext|> and
    // <|endoftext|>: the trailing "!" tokens of a long prompt are cut like any other text.
    const batch = tokenizer.encode([`${Array.from({ length: 20 }, () => 'red').join(' ')} !!!`], 10);
    expect(batch.ids).toEqual([BOS, ...new Array(8).fill(id('red</w>')), EOS]);
    const short = tokenizer.encode(['red !!'], 5);
    expect(short.ids).toEqual([BOS, id('red</w>'), id('!'), id('!'), EOS]);
  });

  it('normalises case and whitespace and splits unknown words into known pieces', async () => {
    const tokenizer = await ClipTokenizer.load(fixture('clip'));
    expect(tokenizer.encode(['A  RED\tcar']).ids).toEqual(tokenizer.encode(['a red car']).ids);
    // "cars" is not a word of the vocabulary: BPE falls back to merged pieces of it.
    const cars = tokenizer.encode(['cars']).ids;
    expect(cars.slice(0, 4)).toEqual([BOS, id('ca'), id('r'), id('s</w>')]);
  });

  it('truncates long text to the length but keeps the closing <|endoftext|>', async () => {
    const tokenizer = await ClipTokenizer.load(fixture('clip'));
    const long = Array.from({ length: 120 }, () => 'red').join(' ');
    const batch = tokenizer.encode([long, 'car'], 10);
    expect(batch.count).toBe(2);
    expect(batch.ids.slice(0, 10)).toEqual([BOS, ...new Array(8).fill(id('red</w>')), EOS]);
    expect(batch.attentionMask.slice(0, 10)).toEqual(new Array(10).fill(1));
    expect(batch.ids.slice(10, 14)).toEqual([BOS, id('car</w>'), EOS, EOS]);
  });

  it('builds from vocab.json + merges.txt exactly the tokenizer.json a converted export carries', async () => {
    const merges = await readFile(fixture('sd-turbo', 'tokenizer', 'merges.txt'), 'utf8');
    const built = clipTokenizerJson(vocab, merges, { bos: '<|startoftext|>', eos: '<|endoftext|>', unk: '<|endoftext|>' });
    const shipped = JSON.parse(await readFile(fixture('sd-turbo-fp16', 'tokenizer', 'tokenizer.json'), 'utf8')) as unknown;
    expect(built).toEqual(shipped);
  });

  it('fails with a MODEL_ERROR when the folder has no tokenizer files', async () => {
    const { dir, cleanup } = await copyFixture('sd-turbo');
    try {
      await expect(ClipTokenizer.load(dir)).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/expected tokenizer\.json, or vocab\.json and merges\.txt/) });
    } finally {
      await cleanup();
    }
  });
});
