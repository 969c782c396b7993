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
/** An added token as tokenizer.json and tokenizer_config.json's added_tokens_decoder write it. */
const addedTokenSchema = z.object({
  content: z.string(),
  single_word: z.boolean().default(false),
  lstrip: z.boolean().default(false),
  rstrip: z.boolean().default(false),
  normalized: z.boolean().optional(),
  special: z.boolean().default(false),
});
type AddedTokenJson = z.output<typeof addedTokenSchema> & { readonly id: number };
const configSchema = z.object({
  model_max_length: z.number().positive().optional(),
  pad_token: tokenSchema,
  eos_token: tokenSchema,
  bos_token: tokenSchema,
  unk_token: tokenSchema,
  padding_side: z.enum(['right', 'left']).default('right'),
  added_tokens_decoder: z.record(z.string().regex(/^\d+$/), addedTokenSchema).optional(),
});
const tokenizerJsonSchema = z.object({
  padding: z.object({ pad_id: z.number().int().optional(), pad_token: z.string().optional() }).nullish(),
  added_tokens: z.array(z.unknown()).nullish(),
});
const SPECIAL_TOKEN_KEYS = ['bos_token', 'eos_token', 'unk_token', 'pad_token'] as const;

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
  ) {}

  static async load(dir: string): Promise<ClipTokenizer> {
    const configPath = join(dir, 'tokenizer_config.json');
    const rawConfig = (await readJsonIfPresent(configPath)) ?? {};
    const config = parseModelConfig(configSchema, rawConfig, configPath);
    const mapPath = join(dir, 'special_tokens_map.json');
    const specialMap = parseModelConfig(configSchema.partial(), (await readJsonIfPresent(mapPath)) ?? {}, mapPath);
    const token = (key: SpecialTokenKey): string | undefined => config[key] ?? specialMap[key] ?? undefined;
    const tokenizerJson = await readTokenizerJson(dir, token);
    const { padding, added_tokens: listed } = parseModelConfig(tokenizerJsonSchema, tokenizerJson, join(dir, 'tokenizer.json'));
    const build = (json: object): Tokenizer => {
      try {
        return new Tokenizer(json, rawConfig as object);
      } catch (e) {
        throw new MirageError('MODEL_ERROR', `The tokenizer in ${dir} could not be built: ${(e as Error).message}`, { cause: e });
      }
    };
    let tokenizer = build(tokenizerJson);
    // transformers registers the config's added tokens and every special token it names as added
    // tokens when it loads a tokenizer, whatever tokenizer.json lists, and splits the raw text on
    // them before BPE. SD 2.x / SD-Turbo pad with "!": there a "!" in a prompt is that token, not
    // BPE's "!</w>". Tokenizers built from vocab.json + merges.txt, and some exports' own
    // tokenizer.json, lack such entries, so they are added here and the tokenizer built again.
    const missing = missingAddedTokens(tokenizer, config.added_tokens_decoder ?? {}, SPECIAL_TOKEN_KEYS.map(token));
    if (missing.length > 0) tokenizer = build({ ...tokenizerJson, added_tokens: [...(listed ?? []), ...missing] });
    const padToken = token('pad_token') ?? padding?.pad_token ?? token('eos_token');
    const padId = (padToken ? tokenizer.token_to_id(padToken) : undefined) ?? padding?.pad_id;
    if (padId === undefined) {
      throw new MirageError('MODEL_ERROR', `The tokenizer in ${dir} names no pad token that is in its vocabulary (pad_token: ${padToken ?? 'none'}).`);
    }
    // Some configs say "unlimited" with a huge sentinel (1e30); CLIP text models take 77.
    const maxLength = config.model_max_length !== undefined && config.model_max_length <= 4096 ? Math.floor(config.model_max_length) : DEFAULT_MAX_LENGTH;
    return new ClipTokenizer(tokenizer, padId, maxLength, config.padding_side === 'left');
  }

  /** Ids and attention mask for each text, padded or truncated to `length` tokens. */
  encode(texts: readonly string[], length: number = this.maxLength): TokenizedBatch {
    const ids: number[] = [];
    const attentionMask: number[] = [];
    for (const text of texts) {
      const tokens = this.fit(text, length);
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

  /**
   * The text's ids with the tokens the post-processor puts around them (<|startoftext|>,
   * <|endoftext|>); when too long, the text's own tokens are cut, as transformers truncates,
   * and the surrounding ones kept, since CLIP pools its text embedding at the closing one.
   */
  private fit(text: string, length: number): number[] {
    const full: number[] = this.tokenizer.encode(text).ids;
    if (full.length <= length) return full;
    const own: number[] = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    const added = full.length - own.length;
    let before = 0;
    while (before < added && own.some((id, i) => full[before + i] !== id)) before++;
    const after = added - before;
    return [...full.slice(0, before), ...own.slice(0, Math.max(0, length - added)), ...full.slice(full.length - after)].slice(0, length);
  }
}

/**
 * The added tokens transformers would register on loading that the tokenizer lacks: the
 * config's added_tokens_decoder entries, then the special tokens it names (special, matched on
 * the raw text) when they are in the vocabulary.
 */
function missingAddedTokens(tokenizer: Tokenizer, decoder: Readonly<Record<string, z.output<typeof addedTokenSchema>>>, specials: readonly (string | undefined)[]): AddedTokenJson[] {
  const present = new Set([...tokenizer.get_added_tokens_decoder().values()].map((t) => t.content));
  const missing: AddedTokenJson[] = [];
  const add = (token: AddedTokenJson) => {
    if (present.has(token.content)) return;
    present.add(token.content);
    missing.push(token);
  };
  for (const [id, token] of Object.entries(decoder)) add({ ...token, id: Number(id), normalized: token.normalized ?? !token.special });
  for (const content of specials) {
    const id = content === undefined ? undefined : tokenizer.token_to_id(content);
    if (content !== undefined && id !== undefined) add({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  }
  return missing;
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
