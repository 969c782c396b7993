#!/usr/bin/env node
/**
 * Builds the tiny ONNX fixture models that the tests run through real ONNX Runtime sessions.
 *
 * Each model has the input / output names, dtypes and ranks of the real exports it stands in
 * for (Xenova/clip-vit-base-patch32 for CLIP, a diffusers ONNX export of SD-Turbo for the
 * generator) but only a few KB of seeded random weights, so the pipelines' plumbing — dtype
 * handling, batching, tokenisation, scheduling, decoding — is exercised without downloading
 * anything. The output is deterministic: re-running it reproduces the committed files byte for
 * byte (a test checks this).
 *
 *   node scripts/make-fixture-models.mjs [--out test/fixtures/models]
 *
 * Folders written (see docs/real-models.md for the layouts they imitate):
 *   clip/                 onnx/vision_model.onnx, onnx/text_model.onnx (int64 ids + attention_mask),
 *                         tokenizer.json, tokenizer_config.json, preprocessor_config.json
 *   clip-unprojected/     as clip/, but the text tower outputs pooler_output (no projection layer),
 *                         and config.json says model_type "clip"
 *   sd-turbo/             text_encoder (int32 ids), unet (float32, int64 timestep, dynamic batch and
 *                         size), vae_decoder, scheduler/, tokenizer/ as vocab.json + merges.txt
 *   sd-turbo-fp16/        text_encoder (int64 ids), unet (float16 latents, float timestep, static
 *                         batch 1 and 64x64), float16 vae_decoder, tokenizer/ as tokenizer.json
 *   unet-cuda-only/       model.onnx: a unet whose GroupNorm (com.microsoft) has no CPU kernel
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// The subset of onnx/onnx.proto (proto2) that these graphs need; field numbers as upstream.
const ONNX_PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional AttributeType type = 20;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`;

const ModelProto = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');

/** onnx.TensorProto.DataType */
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const FLOAT16 = 10;

const OPSET = 17;
const IR_VERSION = 8;
const TOKENS = 77;
const LATENT_CHANNELS = 4;
const VAE_SCALE = 8;

// ---------------------------------------------------------------------------------------------
// Seeded weights (mulberry32): the fixtures must be identical on every run and machine.

function seededUniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Graph building

const attr = {
  int: (i) => ({ i, type: 2 }),
  float: (f) => ({ f, type: 1 }),
  string: (s) => ({ s: Buffer.from(s), type: 3 }),
  ints: (ints) => ({ ints, type: 7 }),
};

function valueInfo(name, elemType, dims) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

function rawBytes(dataType, values) {
  switch (dataType) {
    case FLOAT: return Buffer.from(Float32Array.from(values).buffer);
    case INT64: return Buffer.from(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
    default: throw new Error(`no initializer encoding for data type ${dataType}`);
  }
}

class GraphBuilder {
  constructor(name, seed) {
    this.name = name;
    this.random = seededUniform(seed);
    this.nodes = [];
    this.initializers = [];
    this.inputs = [];
    this.outputs = [];
    this.counter = 0;
  }

  input(name, elemType, dims) {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name, elemType, dims) {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  constant(dataType, dims, values) {
    const name = `const_${this.counter++}`;
    this.initializers.push({ name, dims, data_type: dataType, raw_data: rawBytes(dataType, values) });
    return name;
  }

  /** Uniform weights in [-scale, scale]. */
  weights(dims, scale) {
    const count = dims.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: count }, () => (this.random() * 2 - 1) * scale);
    return this.constant(FLOAT, dims, values);
  }

  /** Adds a node; `output` names a graph output, otherwise a fresh intermediate name is used. */
  op(opType, inputs, attributes = {}, { output, domain } = {}) {
    const out = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    const attribute = Object.entries(attributes).map(([name, value]) => ({ name, ...value }));
    this.nodes.push({ op_type: opType, input: inputs, output: [out], name: `${opType}_${this.nodes.length}`, attribute, ...(domain ? { domain } : {}) });
    return out;
  }

  /** Casts to float32 unless the value already is float32. */
  toFloat(value, elemType) {
    return elemType === FLOAT ? value : this.op('Cast', [value], { to: attr.int(FLOAT) });
  }

  fromFloat(value, elemType, output) {
    return elemType === FLOAT
      ? this.op('Identity', [value], {}, { output })
      : this.op('Cast', [value], { to: attr.int(elemType) }, { output });
  }

  encode(extraOpsets = []) {
    const model = {
      ir_version: IR_VERSION,
      producer_name: 'mirage make-fixture-models',
      opset_import: [{ domain: '', version: OPSET }, ...extraOpsets],
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    const problem = ModelProto.verify(model);
    if (problem) throw new Error(`${this.name}: ${problem}`);
    return Buffer.from(ModelProto.encode(ModelProto.create(model)).finish());
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer: a CLIP-style byte-level BPE with a tiny vocabulary, in both formats real exports
// ship (tokenizer.json; vocab.json + merges.txt as in diffusers' tokenizer/ folder).

const BOS = '<|startoftext|>';
const EOS = '<|endoftext|>';
const BASE_CHARS = ['!', ',', '.', ...'0123456789', ...'abcdefghijklmnopqrstuvwxyz'];
const WORDS = [
  'a', 'the', 'of', 'on', 'in', 'at', 'red', 'green', 'blue', 'yellow', 'white', 'black', 'car', 'cat',
  'dog', 'house', 'tree', 'sky', 'beach', 'street', 'night', 'day', 'photo', 'sunset', 'boat', 'mountain',
];

function buildBpe() {
  const vocab = {};
  const add = (token) => { if (!(token in vocab)) vocab[token] = Object.keys(vocab).length; };
  for (const c of BASE_CHARS) add(c);
  for (const c of BASE_CHARS) add(`${c}</w>`);
  const merges = [];
  for (const word of WORDS) {
    let prefix = word[0];
    for (let i = 1; i < word.length; i++) {
      const next = i === word.length - 1 ? `${word[i]}</w>` : word[i];
      const merge = `${prefix} ${next}`;
      if (!merges.includes(merge)) merges.push(merge);
      prefix += next;
      add(prefix);
    }
  }
  add(BOS);
  add(EOS);
  return { vocab, merges };
}

function clipTokenizerJson({ vocab, merges }) {
  const special = (content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(BOS), special(EOS)],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: [EOS, vocab[EOS]], cls: [BOS, vocab[BOS]], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: EOS, continuing_subword_prefix: '', end_of_word_suffix: '</w>', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

/** openai/clip-vit-base-patch32 pads with <|endoftext|>; the SD 2.x / SD-Turbo tokenizer with "!". */
const tokenizerConfig = (padToken) => ({
  tokenizer_class: 'CLIPTokenizer',
  model_max_length: TOKENS,
  do_lower_case: true,
  bos_token: BOS,
  eos_token: EOS,
  unk_token: EOS,
  pad_token: padToken,
});

// ---------------------------------------------------------------------------------------------
// Models

const HIDDEN = 16;
const EMBED = 32;

function sdTextEncoder({ idsType, vocabSize, seed }) {
  const g = new GraphBuilder('text_encoder', seed);
  const ids = g.input('input_ids', idsType, ['batch', TOKENS]);
  const tokens = g.op('Gather', [g.weights([vocabSize, HIDDEN], 1), ids]);
  const positioned = g.op('Add', [tokens, g.weights([TOKENS, HIDDEN], 0.3)]);
  const hidden = g.op('Tanh', [g.op('MatMul', [positioned, g.weights([HIDDEN, HIDDEN], 0.5)])], {}, { output: 'last_hidden_state' });
  g.op('ReduceMean', [hidden], { axes: attr.ints([1]), keepdims: attr.int(0) }, { output: 'pooler_output' });
  g.output('last_hidden_state', FLOAT, ['batch', TOKENS, HIDDEN]);
  g.output('pooler_output', FLOAT, ['batch', HIDDEN]);
  return g.encode();
}

/**
 * eps = tanh(conv1x1(sample) + W·mean(encoder_hidden_states) + timestep/1000): depends on the
 * latents, the prompt and the timestep, and stays in (-1, 1) like a noise prediction.
 */
function sdUnet({ floatType, timestepType, timestepDims, batch, latentSize, seed }) {
  const g = new GraphBuilder('unet', seed);
  const [h, w] = latentSize;
  const sample = g.toFloat(g.input('sample', floatType, [batch, LATENT_CHANNELS, h, w]), floatType);
  const timestep = g.input('timestep', timestepType, timestepDims);
  const context = g.toFloat(g.input('encoder_hidden_states', floatType, [batch, TOKENS, HIDDEN]), floatType);
  const mixed = g.op('Conv', [sample, g.weights([LATENT_CHANNELS, LATENT_CHANNELS, 1, 1], 0.8), g.weights([LATENT_CHANNELS], 0.1)]);
  const pooled = g.op('ReduceMean', [context], { axes: attr.ints([1]), keepdims: attr.int(0) });
  const textShift = g.op('Unsqueeze', [g.op('MatMul', [pooled, g.weights([HIDDEN, LATENT_CHANNELS], 1.5)]), g.constant(INT64, [2], [2, 3])]);
  const time = g.op('Mul', [g.op('Cast', [timestep], { to: attr.int(FLOAT) }), g.constant(FLOAT, [], [0.001])]);
  const timeShift = g.op('Reshape', [time, g.constant(INT64, [4], [-1, 1, 1, 1])]);
  const eps = g.op('Tanh', [g.op('Add', [g.op('Add', [mixed, textShift]), timeShift])]);
  g.fromFloat(eps, floatType, 'out_sample');
  g.output('out_sample', floatType, [batch, LATENT_CHANNELS, h, w]);
  return g.encode();
}

/** A 1x1 conv to 3*8*8 channels, DepthToSpace to 8x the size, tanh into [-1, 1]. */
function sdVaeDecoder({ floatType, seed }) {
  const g = new GraphBuilder('vae_decoder', seed);
  const latent = g.toFloat(g.input('latent_sample', floatType, ['batch', LATENT_CHANNELS, 'latent_height', 'latent_width']), floatType);
  const channels = 3 * VAE_SCALE * VAE_SCALE;
  const conv = g.op('Conv', [latent, g.weights([channels, LATENT_CHANNELS, 1, 1], 0.017), g.weights([channels], 0.3)]);
  const pixels = g.op('Tanh', [g.op('DepthToSpace', [conv], { blocksize: attr.int(VAE_SCALE), mode: attr.string('CRD') })]);
  g.fromFloat(pixels, floatType, 'sample');
  g.output('sample', floatType, ['batch', 3, 'height', 'width']);
  return g.encode();
}

/** Same inputs and output as the float32 unet, but its GroupNorm exists only for CUDA / ROCm. */
function cudaOnlyUnet() {
  const g = new GraphBuilder('unet', 7);
  const sample = g.input('sample', FLOAT, ['batch', LATENT_CHANNELS, 'height', 'width']);
  g.input('timestep', INT64, ['batch']);
  g.input('encoder_hidden_states', FLOAT, ['batch', TOKENS, HIDDEN]);
  const nhwc = g.op('Transpose', [sample], { perm: attr.ints([0, 2, 3, 1]) });
  const normed = g.op('GroupNorm', [nhwc, g.weights([LATENT_CHANNELS], 1), g.weights([LATENT_CHANNELS], 1)],
    { epsilon: attr.float(1e-5), groups: attr.int(2), activation: attr.int(0) }, { domain: 'com.microsoft' });
  g.op('Transpose', [normed], { perm: attr.ints([0, 3, 1, 2]) }, { output: 'out_sample' });
  g.output('out_sample', FLOAT, ['batch', LATENT_CHANNELS, 'height', 'width']);
  return g.encode([{ domain: 'com.microsoft', version: 1 }]);
}

/** pixel_values -> 4x4 average pool -> linear: image_embeds (unnormalised, as CLIP's are). */
function clipVision({ seed }) {
  const g = new GraphBuilder('vision_model', seed);
  const pixels = g.input('pixel_values', FLOAT, ['batch_size', 3, 224, 224]);
  const pooled = g.op('Flatten', [g.op('AveragePool', [pixels], { kernel_shape: attr.ints([56, 56]), strides: attr.ints([56, 56]) })], { axis: attr.int(1) });
  g.op('Add', [g.op('MatMul', [pooled, g.weights([48, EMBED], 0.5)]), g.weights([EMBED], 0.2)], {}, { output: 'image_embeds' });
  g.output('image_embeds', FLOAT, ['batch_size', EMBED]);
  return g.encode();
}

/**
 * Masked sum of token embeddings -> tanh -> linear: text_embeds; padding is masked out. With
 * output "pooler_output" it stands in for a CLIP text export without its projection layer,
 * whose pooled output has the embedding size for ViT-B/32 (512) but is not in the image space.
 */
function clipText({ vocabSize, seed, output = 'text_embeds' }) {
  const g = new GraphBuilder('text_model', seed);
  const ids = g.input('input_ids', INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', INT64, ['batch_size', 'sequence_length']);
  const tokens = g.op('Gather', [g.weights([vocabSize, HIDDEN], 1), ids]);
  const weights = g.op('Unsqueeze', [g.op('Cast', [mask], { to: attr.int(FLOAT) }), g.constant(INT64, [1], [2])]);
  const pooled = g.op('ReduceSum', [g.op('Mul', [tokens, weights]), g.constant(INT64, [1], [1])], { keepdims: attr.int(0) });
  g.op('Add', [g.op('MatMul', [g.op('Tanh', [pooled]), g.weights([HIDDEN, EMBED], 0.5)]), g.weights([EMBED], 0.2)], {}, { output });
  g.output(output, FLOAT, ['batch_size', EMBED]);
  return g.encode();
}

// ---------------------------------------------------------------------------------------------
// Folders

const CLIP_PREPROCESSOR = {
  do_resize: true,
  size: { shortest_edge: 224 },
  resample: 3,
  do_center_crop: true,
  crop_size: { height: 224, width: 224 },
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
  do_convert_rgb: true,
};

/** The values SD-Turbo's scheduler/scheduler_config.json carries. */
const SD_TURBO_SCHEDULER = {
  _class_name: 'EulerDiscreteScheduler',
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  timestep_spacing: 'trailing',
};

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

export function fixtureFiles() {
  const bpe = buildBpe();
  const vocabSize = Object.keys(bpe.vocab).length;
  const tokenizerJson = json(clipTokenizerJson(bpe));
  return {
    'clip/onnx/vision_model.onnx': clipVision({ seed: 11 }),
    'clip/onnx/text_model.onnx': clipText({ vocabSize, seed: 12 }),
    'clip/tokenizer.json': tokenizerJson,
    'clip/tokenizer_config.json': json(tokenizerConfig(EOS)),
    'clip/preprocessor_config.json': json(CLIP_PREPROCESSOR),

    'clip-unprojected/config.json': json({ model_type: 'clip' }),
    'clip-unprojected/onnx/vision_model.onnx': clipVision({ seed: 11 }),
    'clip-unprojected/onnx/text_model.onnx': clipText({ vocabSize, seed: 12, output: 'pooler_output' }),
    'clip-unprojected/tokenizer.json': tokenizerJson,
    'clip-unprojected/tokenizer_config.json': json(tokenizerConfig(EOS)),

    'sd-turbo/text_encoder/model.onnx': sdTextEncoder({ idsType: INT32, vocabSize, seed: 21 }),
    'sd-turbo/unet/model.onnx': sdUnet({ floatType: FLOAT, timestepType: INT64, timestepDims: ['batch'], batch: 'batch', latentSize: ['height', 'width'], seed: 22 }),
    'sd-turbo/vae_decoder/model.onnx': sdVaeDecoder({ floatType: FLOAT, seed: 23 }),
    'sd-turbo/scheduler/scheduler_config.json': json(SD_TURBO_SCHEDULER),
    'sd-turbo/tokenizer/vocab.json': json(bpe.vocab),
    'sd-turbo/tokenizer/merges.txt': `#version: 0.2\n${bpe.merges.join('\n')}\n`,
    'sd-turbo/tokenizer/tokenizer_config.json': json(tokenizerConfig('!')),

    'sd-turbo-fp16/text_encoder/model.onnx': sdTextEncoder({ idsType: INT64, vocabSize, seed: 31 }),
    'sd-turbo-fp16/unet/model.onnx': sdUnet({ floatType: FLOAT16, timestepType: FLOAT, timestepDims: [1], batch: 1, latentSize: [8, 8], seed: 32 }),
    'sd-turbo-fp16/vae_decoder/model.onnx': sdVaeDecoder({ floatType: FLOAT16, seed: 33 }),
    'sd-turbo-fp16/scheduler/scheduler_config.json': json(SD_TURBO_SCHEDULER),
    'sd-turbo-fp16/tokenizer/tokenizer.json': tokenizerJson,
    'sd-turbo-fp16/tokenizer/tokenizer_config.json': json(tokenizerConfig('!')),

    'unet-cuda-only/model.onnx': cudaOnlyUnet(),
  };
}

async function main(argv) {
  const outFlag = argv.indexOf('--out');
  const here = dirname(fileURLToPath(import.meta.url));
  const out = resolve(outFlag >= 0 && argv[outFlag + 1] ? argv[outFlag + 1] : join(here, '..', 'test', 'fixtures', 'models'));
  const files = fixtureFiles();
  const folders = new Set(Object.keys(files).map((path) => path.split('/')[0]));
  for (const folder of folders) await rm(join(out, folder), { recursive: true, force: true });
  let total = 0;
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), content);
    total += Buffer.byteLength(content);
  }
  console.log(`Wrote ${Object.keys(files).length} files (${(total / 1024).toFixed(1)} KiB) under ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
