import { Tensor } from 'onnxruntime-node';
import { MirageError } from '../../errors.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../vectors/float16.js';

/** Element types Mirage can feed a numeric model input with. */
export type NumericInputType = 'float32' | 'float16' | 'float64' | 'int32' | 'int64';

const NUMERIC_INPUT_TYPES: ReadonlySet<string> = new Set<NumericInputType>(['float32', 'float16', 'float64', 'int32', 'int64']);

export const isNumericInputType = (type: string): type is NumericInputType => NUMERIC_INPUT_TYPES.has(type);

/**
 * A tensor of the element type the model declared, from plain numbers: models exported in
 * float16 want half-precision bits, int64 inputs want BigInts, and so on. Integer types round.
 */
export function numericTensor(type: NumericInputType, values: ArrayLike<number>, dims: readonly number[]): Tensor {
  switch (type) {
    case 'float32': return new Tensor('float32', values instanceof Float32Array ? values : Float32Array.from(values), dims);
    case 'float16': return new Tensor('float16', float32ToFloat16Bits(values), dims);
    case 'float64': return new Tensor('float64', Float64Array.from(values), dims);
    case 'int32': return new Tensor('int32', Int32Array.from(values, Math.round), dims);
    case 'int64': return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(Math.round(v))), dims);
  }
}

/** A float output as float32, whatever precision the model computed it in. */
export function readFloats(tensor: Tensor, what: string): Float32Array {
  switch (tensor.type) {
    case 'float32': return tensor.data as Float32Array;
    // Bits in a Uint16Array today; a real Float16Array where the runtime has one.
    case 'float16': return tensor.data instanceof Uint16Array ? float16BitsToFloat32(tensor.data) : Float32Array.from(tensor.data as ArrayLike<number>);
    case 'float64': return Float32Array.from(tensor.data as Float64Array);
    default: throw new MirageError('MODEL_ERROR', `${what} is a ${tensor.type} tensor; a float tensor was expected.`);
  }
}
