import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import { MirageError } from '../../errors.js';
import { ModelSignature } from './input-metadata.js';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface OnnxSessionOptions {
  /** 'cpu' (default) or 'cuda'; 'cuda' falls back to CPU, with a warning, when CUDA cannot load. */
  readonly executionProvider?: ExecutionProvider;
  /** Receives warnings such as the CUDA fallback; defaults to process.emitWarning. */
  readonly onWarning?: (message: string) => void;
}

export interface OnnxSession {
  readonly session: InferenceSession;
  readonly signature: ModelSignature;
  /** Where it actually runs, after any fallback. */
  readonly provider: ExecutionProvider;
}

const defaultWarning = (message: string): void => process.emitWarning(message, 'MirageWarning');

/**
 * Opens a model from a local file (never a URL: nothing is downloaded at run time). A model that
 * cannot be opened gets a MODEL_ERROR naming the file and the reason, including the common case
 * of a GPU-only export (operators with CUDA kernels but none for CPU).
 */
export async function openOnnxSession(path: string, label: string, options: OnnxSessionOptions = {}): Promise<OnnxSession> {
  await requireFile(path, label);
  const described = `${label} (${path})`;
  if (options.executionProvider === 'cuda') {
    let cudaError: unknown = await missingCudaProvider();
    if (cudaError === undefined) {
      try {
        const session = await InferenceSession.create(path, { executionProviders: [{ name: 'cuda' }] });
        return { session, signature: new ModelSignature(session, described), provider: 'cuda' };
      } catch (e) {
        cudaError = e;
      }
    }
    const session = await createOnCpu(path, described, cudaError);
    (options.onWarning ?? defaultWarning)(`CUDA could not be used for ${described}: ${messageOf(cudaError)}. Running it on the CPU instead (slow for large models).`);
    return { session, signature: new ModelSignature(session, described), provider: 'cpu' };
  }
  const session = await createOnCpu(path, described);
  return { session, signature: new ModelSignature(session, described), provider: 'cpu' };
}

export interface ModelPart {
  readonly path: string;
  readonly label: string;
}

/**
 * Opens the parts of a model together and hands them to `build`. If a part fails to open, or
 * `build` rejects them (wrong inputs, mismatched sizes), the parts already opened are released,
 * so a model that a long-running process retries to load does not leak gigabytes per attempt.
 */
export async function withOpenSessions<K extends string, R>(
  parts: Readonly<Record<K, ModelPart>>,
  options: OnnxSessionOptions,
  build: (sessions: Record<K, OnnxSession>) => R | Promise<R>,
): Promise<R> {
  const names = Object.keys(parts) as K[];
  const settled = await Promise.allSettled(names.map((name) => openOnnxSession(parts[name].path, parts[name].label, options)));
  const opened = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return await build(Object.fromEntries(names.map((name, i) => [name, opened[i]])) as Record<K, OnnxSession>);
  } catch (e) {
    await Promise.allSettled(opened.map((part) => part.session.release()));
    throw e;
  }
}

/** Runs the model and returns one output; runtime failures become MODEL_ERRORs naming the model. */
export async function runForOutput(model: OnnxSession, feeds: Record<string, Tensor>, output: string): Promise<Tensor> {
  let results: InferenceSession.ReturnType;
  try {
    results = await model.session.run(feeds, [output]);
  } catch (e) {
    throw new MirageError('MODEL_ERROR', `${model.signature.label} failed to run: ${messageOf(e)}`, { cause: e });
  }
  const tensor = results[output];
  if (!tensor) throw new MirageError('MODEL_ERROR', `${model.signature.label} returned no "${output}" output.`);
  return tensor;
}

/**
 * onnxruntime-node ships its CUDA provider separately (downloaded at install time with
 * ONNXRUNTIME_NODE_INSTALL=cuda12). When the library is plainly absent there is no point asking
 * ONNX Runtime to load it, which would only print a native error; say how to install it instead.
 */
async function missingCudaProvider(): Promise<string | undefined> {
  const library = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const binFolder = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  const [binding, provider] = await Promise.all([stat(join(binFolder, 'onnxruntime_binding.node')).catch(() => undefined), stat(join(binFolder, library)).catch(() => undefined)]);
  // Only a layout we recognise counts as proof; otherwise let ONNX Runtime try.
  if (!binding || provider) return undefined;
  return `the CUDA execution provider (${library}) is not installed; on a CUDA 12 machine run "ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node"`;
}

async function requireFile(path: string, label: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new MirageError('MODEL_ERROR', `The ${label} model file ${path} ${info ? 'is not a file' : 'does not exist'}. Put the model folder in place (see docs/real-models.md) or download it with "mirage models pull".`);
  }
}

async function createOnCpu(path: string, described: string, cudaError?: unknown): Promise<InferenceSession> {
  try {
    return await InferenceSession.create(path, { executionProviders: ['cpu'] });
  } catch (e) {
    const afterCuda = cudaError === undefined ? '' : ` (CUDA was requested but could not be used: ${messageOf(cudaError)})`;
    const operator = /Could not find an implementation for (\S+)/.exec(messageOf(e))?.[1];
    const message = operator
      ? `${described} uses ${operator}, which ONNX Runtime has no CPU kernel for: this export only runs on a GPU. ` +
        `Run it on a CUDA worker (MIRAGE_EXECUTION_PROVIDER=cuda, see docs/real-models.md) or use a CPU-compatible export${afterCuda}.`
      : `${described} could not be loaded by ONNX Runtime: ${messageOf(e)}${afterCuda}.`;
    throw new MirageError('MODEL_ERROR', message, { cause: e });
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).trim();
