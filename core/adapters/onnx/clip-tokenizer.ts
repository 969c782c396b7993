import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { MirageError } from '../../errors.js';
import { clipTokenizerJson } from './clip-tokenizer-json.js';
import { fileExists, parseModelConfig, readJson, readJsonIfPresent } from './model-files.js';

/** Token ids for a batch of texts, all padded or truncated to one length, row-major. */
export interface TokenizedBatch {
  readonly count: number;
  readonly length: number;
  readonly ids: readonly number[];
  readonly attentionMask: readonly number[];
}

/** CLIP's text length; used when the tokenizer config does not state one. */
const DEFAULT_MAX_LENGTH = 77;

const tokenSchema = z.union([z.string(), z.object({ content: z.string() }).transform((t) => t.content)]).nullish();
const configSchema = z.object({
  model_max_length: z.number().positive().optional(),
  pad_token: tokenSchema,
  eos_token: tokenSchema,
  bos_token: tokenSchema,
  unk_token: tokenSchema,
  padding_side: z.enum(['right', 'left']).default('right'),
});
const tokenizerJsonSchema = z.object({
  padding: z.object({ pad_id: z.number().int().optional(), pad_token: z.string().optional() }).nullish(),
});

/**
 * The text side of CLIP-family models, from a local folder only (no hub, no network): tokenises
 * with the model's own tokenizer.json (or vocab.json + merges.txt, as diffusers ships it) and
 * pads with the model's own pad token to a fixed length — "<|endoftext|>" for OpenAI CLIP, "!"
 * for the SD 2.x / SD-Turbo text encoder. Truncation keeps the closing special token, as the
 * Python tokenizers do, because CLIP pools its text embedding at that token.
 */
export class ClipTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly padId: number,
    readonly maxLength: number,
    private readonly padLeft: boolean,
    private readonly specialIds: ReadonlySet<number>,
  ) {}

  static async load(dir: string): Promise<ClipTokenizer> {
    const configPath = join(dir, 'tokenizer_config.json');
    const rawConfig = (await readJsonIfPresent(configPath)) ?? {};
    const config = parseModelConfig(configSchema, rawConfig, configPath);
    const mapPath = join(dir, 'special_tokens_map.json');
    const specialMap = parseModelConfig(configSchema.partial(), (await readJsonIfPresent(mapPath)) ?? {}, mapPath);
    const token = (key: SpecialTokenKey): string | undefined => config[key] ?? specialMap[key] ?? undefined;
    const tokenizerJson = await readTokenizerJson(dir, token);
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(tokenizerJson, rawConfig as object);
    } catch (e) {
      throw new MirageError('MODEL_ERROR', `The tokenizer in ${dir} could not be built: ${(e as Error).message}`, { cause: e });
    }
    const padding = parseModelConfig(tokenizerJsonSchema, tokenizerJson, join(dir, 'tokenizer.json')).padding;
    const padToken = token('pad_token') ?? padding?.pad_token ?? token('eos_token');
    const padId = (padToken ? tokenizer.token_to_id(padToken) : undefined) ?? padding?.pad_id;
    if (padId === undefined) {
      throw new MirageError('MODEL_ERROR', `The tokenizer in ${dir} names no pad token that is in its vocabulary (pad_token: ${padToken ?? 'none'}).`);
    }
    // Some configs say "unlimited" with a huge sentinel (1e30); CLIP text models take 77.
    const maxLength = config.model_max_length !== undefined && config.model_max_length <= 4096 ? Math.floor(config.model_max_length) : DEFAULT_MAX_LENGTH;
    const specialIds = new Set([...tokenizer.get_added_tokens_decoder()].filter(([, added]) => added.special).map(([id]) => id));
    return new ClipTokenizer(tokenizer, padId, maxLength, config.padding_side === 'left', specialIds);
  }

  /** Ids and attention mask for each text, padded or truncated to `length` tokens. */
  encode(texts: readonly string[], length: number = this.maxLength): TokenizedBatch {
    const ids: number[] = [];
    const attentionMask: number[] = [];
    for (const text of texts) {
      const tokens = this.fit(this.tokenizer.encode(text).ids, length);
      const padding = new Array<number>(length - tokens.length);
      const mask = new Array<number>(tokens.length).fill(1);
      if (this.padLeft) {
        ids.push(...padding.fill(this.padId), ...tokens);
        attentionMask.push(...padding.fill(0), ...mask);
      } else {
        ids.push(...tokens, ...padding.fill(this.padId));
        attentionMask.push(...mask, ...padding.fill(0));
      }
    }
    return { count: texts.length, length, ids, attentionMask };
  }

  private fit(tokens: readonly number[], length: number): number[] {
    if (tokens.length <= length) return [...tokens];
    let closing = 0;
    while (closing < length && this.specialIds.has(tokens[tokens.length - 1 - closing] as number)) closing++;
    return [...tokens.slice(0, length - closing), ...tokens.slice(tokens.length - closing)];
  }
}

type SpecialTokenKey = 'pad_token' | 'eos_token' | 'bos_token' | 'unk_token';

async function readTokenizerJson(dir: string, token: (key: SpecialTokenKey) => string | undefined): Promise<object> {
  const jsonPath = join(dir, 'tokenizer.json');
  if (await fileExists(jsonPath)) return (await readJson(jsonPath, 'tokenizer')) as object;
  const vocabPath = join(dir, 'vocab.json');
  const mergesPath = join(dir, 'merges.txt');
  if (!(await fileExists(vocabPath)) || !(await fileExists(mergesPath))) {
    throw new MirageError('MODEL_ERROR', `No tokenizer in ${dir}: expected tokenizer.json, or vocab.json and merges.txt.`);
  }
  const vocab = parseModelConfig(z.record(z.string(), z.number().int()), await readJson(vocabPath, 'vocabulary'), vocabPath);
  const eos = token('eos_token') ?? '<|endoftext|>';
  return clipTokenizerJson(vocab, await readFile(mergesPath, 'utf8'), { bos: token('bos_token') ?? '<|startoftext|>', eos, unk: token('unk_token') ?? eos });
}
