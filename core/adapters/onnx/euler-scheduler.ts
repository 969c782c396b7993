import { invalidInput } from '../../errors.js';

/** The parts of a diffusers scheduler_config.json that Euler discrete sampling uses. */
export interface EulerSchedulerConfig {
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly betaSchedule: 'scaled_linear' | 'linear';
  /** How inference timesteps are spread over the training ones (diffusers' timestep_spacing). */
  readonly timestepSpacing: 'trailing' | 'leading' | 'linspace';
  /** Only used with 'leading' spacing. */
  readonly stepsOffset: number;
  readonly predictionType: 'epsilon' | 'v_prediction';
}

/** SD-Turbo's scheduler: 1000 training steps, scaled-linear betas 0.00085 -> 0.012, trailing. */
export const SD_TURBO_SCHEDULER: EulerSchedulerConfig = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: 'scaled_linear',
  timestepSpacing: 'trailing',
  stepsOffset: 0,
  predictionType: 'epsilon',
};

export interface EulerSchedule {
  /** Training timesteps to condition the UNet on, from noisiest to cleanest. */
  readonly timesteps: readonly number[];
  /** Noise level at each timestep, plus a final 0 (steps + 1 values). */
  readonly sigmas: readonly number[];
  /** Starting latents are standard Gaussian noise times this. */
  readonly initNoiseSigma: number;
}

/** ᾱ_t = Π_{s<=t} (1 - β_s), computed in float64. */
export function alphasCumprod(config: EulerSchedulerConfig): Float64Array {
  const n = config.numTrainTimesteps;
  const out = new Float64Array(n);
  let product = 1;
  for (let t = 0; t < n; t++) {
    const fraction = n === 1 ? 0 : t / (n - 1);
    const beta = config.betaSchedule === 'scaled_linear'
      ? (Math.sqrt(config.betaStart) + (Math.sqrt(config.betaEnd) - Math.sqrt(config.betaStart)) * fraction) ** 2
      : config.betaStart + (config.betaEnd - config.betaStart) * fraction;
    product *= 1 - beta;
    out[t] = product;
  }
  return out;
}

/** Timesteps and sigmas for a given number of inference steps, as diffusers' EulerDiscreteScheduler sets them. */
export function eulerSchedule(config: EulerSchedulerConfig, steps: number): EulerSchedule {
  const n = config.numTrainTimesteps;
  if (!Number.isInteger(steps) || steps < 1 || steps > n) throw invalidInput(`Steps must be a whole number from 1 to ${n}, got ${steps}.`);
  const trainSigmas = Array.from(alphasCumprod(config), (a) => Math.sqrt((1 - a) / a));
  const timesteps = inferenceTimesteps(config, steps);
  const sigmas = [...timesteps.map((t) => interpolate(trainSigmas, t)), 0];
  const maxSigma = Math.max(...sigmas);
  // diffusers: for "linspace" and "trailing" spacing the initial noise is scaled by the largest
  // sigma itself, otherwise by sqrt(sigma² + 1).
  const initNoiseSigma = config.timestepSpacing === 'leading' ? Math.sqrt(maxSigma ** 2 + 1) : maxSigma;
  return { timesteps, sigmas, initNoiseSigma };
}

function inferenceTimesteps(config: EulerSchedulerConfig, steps: number): number[] {
  const n = config.numTrainTimesteps;
  switch (config.timestepSpacing) {
    case 'trailing': {
      // np.round(np.arange(n, 0, -n/steps)) - 1: with 1 step, [999]; with 4, [999, 749, 499, 249].
      const ratio = n / steps;
      return Array.from({ length: steps }, (_, i) => roundHalfToEven(n - i * ratio) - 1);
    }
    case 'leading': {
      const ratio = Math.floor(n / steps);
      return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + config.stepsOffset);
    }
    case 'linspace':
      return Array.from({ length: steps }, (_, i) => (steps === 1 ? 0 : ((n - 1) * (steps - 1 - i)) / (steps - 1)));
  }
}

/**
 * np.round: a value exactly halfway between two integers goes to the even one (812.5 -> 812),
 * where Math.round would always go up; at 16 steps that is timestep 811, not 812.
 */
function roundHalfToEven(x: number): number {
  const low = Math.floor(x);
  const fraction = x - low;
  if (fraction !== 0.5) return Math.round(x);
  return low % 2 === 0 ? low : low + 1;
}

/** Linear interpolation into a table indexed by training timestep (np.interp). */
function interpolate(table: readonly number[], t: number): number {
  const low = Math.max(0, Math.min(table.length - 1, Math.floor(t)));
  const high = Math.min(table.length - 1, low + 1);
  const fraction = t - low;
  return (table[low] as number) * (1 - fraction) + (table[high] as number) * fraction;
}

/** The UNet sees latents scaled to unit variance: x / sqrt(σ² + 1). */
export function scaleModelInput(latents: Float32Array, sigma: number): Float32Array {
  const scale = 1 / Math.sqrt(sigma * sigma + 1);
  return latents.map((x) => x * scale);
}

/** The clean latents the model's output implies (epsilon: x0 = x - σ·ε). */
export function predictOriginal(latents: Float32Array, modelOutput: Float32Array, sigma: number, predictionType: EulerSchedulerConfig['predictionType']): Float32Array {
  if (predictionType === 'epsilon') return latents.map((x, i) => x - sigma * (modelOutput[i] as number));
  // v-prediction: x0 = -σ/sqrt(σ²+1)·v + x/(σ²+1)
  const c = sigma * sigma + 1;
  return latents.map((x, i) => (-sigma / Math.sqrt(c)) * (modelOutput[i] as number) + x / c);
}

/**
 * One Euler step from σ to σ_next along dx/dσ = (x - x0)/σ. With σ_next = 0 it lands exactly on
 * x0, which is all that one-step SD-Turbo sampling does.
 */
export function eulerStep(latents: Float32Array, modelOutput: Float32Array, sigma: number, sigmaNext: number, predictionType: EulerSchedulerConfig['predictionType']): Float32Array {
  const x0 = predictOriginal(latents, modelOutput, sigma, predictionType);
  const dt = sigmaNext - sigma;
  return latents.map((x, i) => x + ((x - (x0[i] as number)) / sigma) * dt);
}
