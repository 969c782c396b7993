import type { InferenceSession } from 'onnxruntime-node';
import { MirageError } from '../../errors.js';
import { isNumericInputType, type NumericInputType } from './tensors.js';

/** One tensor input or output as the model file declares it. */
export interface TensorSpec {
  readonly name: string;
  readonly type: string;
  /** Numbers are fixed sizes; strings (or -1) are symbolic, i.e. free to choose. */
  readonly shape: readonly (number | string)[];
}

/** A fixed size along one axis, or undefined when the model leaves that axis free. */
export const staticDim = (spec: TensorSpec, axis: number): number | undefined => {
  const dim = spec.shape[axis];
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
};

/**
 * What a loaded model says about its inputs and outputs. Pipelines read names, element types and
 * fixed sizes from here rather than assuming them, because exports of the same model differ
 * (float16 vs float32, int32 vs int64 ids, fixed vs free batch size).
 */
export class ModelSignature {
  private readonly inputs: ReadonlyMap<string, TensorSpec>;
  private readonly outputs: ReadonlyMap<string, TensorSpec>;

  /** `label` names the model in messages, e.g. "unet (/models/sd-turbo/unet/model.onnx)". */
  constructor(session: InferenceSession, readonly label: string) {
    this.inputs = toSpecs(session.inputMetadata);
    this.outputs = toSpecs(session.outputMetadata);
  }

  inputNames(): string[] {
    return [...this.inputs.keys()];
  }

  hasInput(name: string): boolean {
    return this.inputs.has(name);
  }

  /**
   * Checks the model takes every required input and nothing beyond `required` and `optional`,
   * so that a wrong file (or an export with extra conditioning inputs) fails at load time with
   * a message naming both sides, not at the first run with a runtime error.
   */
  expectInputs(required: readonly string[], optional: readonly string[] = []): void {
    const known = new Set([...required, ...optional]);
    const missing = required.filter((name) => !this.inputs.has(name));
    const unexpected = this.inputNames().filter((name) => !known.has(name));
    if (missing.length === 0 && unexpected.length === 0) return;
    const expected = [...required, ...optional.map((name) => `${name} (optional)`)].join(', ');
    throw new MirageError(
      'MODEL_ERROR',
      `${this.label} has inputs [${this.inputNames().join(', ')}] but Mirage feeds [${expected}]` +
        `${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unexpected.length ? `; not understood: ${unexpected.join(', ')}` : ''}. ` +
        'Is this the right file for this part of the model?',
    );
  }

  input(name: string): TensorSpec {
    const spec = this.inputs.get(name);
    if (!spec) throw new MirageError('MODEL_ERROR', `${this.label} has no input "${name}" (it has: ${this.inputNames().join(', ')}).`);
    return spec;
  }

  /** The element type of an input, checked against what the pipeline can produce for it. */
  inputType<T extends NumericInputType>(name: string, allowed: readonly T[]): T {
    const { type } = this.input(name);
    if (!isNumericInputType(type) || !(allowed as readonly string[]).includes(type)) {
      throw new MirageError('MODEL_ERROR', `${this.label} wants input "${name}" as ${type}; Mirage can feed it as ${allowed.join(' or ')}.`);
    }
    return type as T;
  }

  /** The first of the preferred outputs the model has, or else its first output (exports name them differently). */
  output(preferred: readonly string[]): TensorSpec {
    for (const name of preferred) {
      const spec = this.outputs.get(name);
      if (spec) return spec;
    }
    const first = this.outputs.values().next();
    if (first.done) throw new MirageError('MODEL_ERROR', `${this.label} declares no outputs.`);
    return first.value;
  }
}

function toSpecs(metadata: readonly InferenceSession.ValueMetadata[]): Map<string, TensorSpec> {
  const specs = new Map<string, TensorSpec>();
  for (const value of metadata) {
    if (!value.isTensor) throw new MirageError('MODEL_ERROR', `Model value "${value.name}" is not a tensor; Mirage only feeds tensors.`);
    specs.set(value.name, { name: value.name, type: value.type, shape: value.shape });
  }
  return specs;
}
