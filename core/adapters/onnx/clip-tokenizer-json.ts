/**
 * diffusers' tokenizer/ folders ship CLIP's tokenizer as vocab.json + merges.txt (the "slow"
 * format) while tokenizer libraries read tokenizer.json. This builds the tokenizer.json that
 * transformers' CLIPConverter produces from the same two files, so such folders load as they are.
 */
export interface ClipSpecialTokens {
  readonly bos: string;
  readonly eos: string;
  readonly unk: string;
}

export function clipTokenizerJson(vocab: Readonly<Record<string, number>>, mergesText: string, special: ClipSpecialTokens): Record<string, unknown> {
  const merges = mergesText
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#version'));
  const added = [special.bos, special.eos]
    .filter((content) => vocab[content] !== undefined)
    .map((content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        // CLIP's own word pattern (its special tokens, contractions, letters, single digits,
        // punctuation runs); the pieces between matches, i.e. whitespace, are dropped.
        { type: 'Split', pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: [special.eos, vocab[special.eos]], cls: [special.bos, vocab[special.bos]], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: special.unk, continuing_subword_prefix: '', end_of_word_suffix: '</w>', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}
