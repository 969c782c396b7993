import { describe, expect, it } from 'vitest';
import {
  alphasCumprod,
  eulerSchedule,
  eulerStep,
  predictOriginal,
  scaleModelInput,
  SD_TURBO_SCHEDULER,
  type EulerSchedulerConfig,
} from '../../../core/adapters/onnx/euler-scheduler.js';

// Scaled-linear betas: β_t = (√0.00085 + (√0.012 − √0.00085) · t/999)².
//   √0.00085 = 0.0291547595, √0.012 = 0.1095445115
//   β_0 = 0.00085 and β_999 = 0.012 exactly; ᾱ_0 = 1 − β_0 = 0.99915.
//   σ_t = √((1 − ᾱ_t)/ᾱ_t): σ_0 = √(0.00085/0.99915) = 0.0291672.
// SD-Turbo's one-step sampling uses t = 999, where σ ≈ 14.6146 (the value diffusers reports),
// so ᾱ_999 = 1/(1 + σ²) = 1/214.5877 = 0.00466010.

describe('Euler discrete scheduler (scaled-linear betas, trailing spacing)', () => {
  const ac = alphasCumprod(SD_TURBO_SCHEDULER);

  it('computes the cumulative alphas from the beta endpoints', () => {
    expect(ac.length).toBe(1000);
    expect(ac[0]).toBeCloseTo(0.99915, 10);
    // ᾱ_1 = ᾱ_0 · (1 − β_1), β_1 = (0.0291547595 + 0.0803897520/999)² = (0.0292352285)² = 0.000854699
    expect(ac[1]).toBeCloseTo(0.99915 * (1 - 0.000854699), 8);
    expect(ac[999]).toBeCloseTo(0.0046601, 6);
    // The last factor is 1 − β_999 = 1 − 0.012.
    expect((ac[999] as number) / (ac[998] as number)).toBeCloseTo(0.988, 10);
  });

  it('one step: timestep 999, sigma 14.6146, initial noise scaled by that sigma', () => {
    const schedule = eulerSchedule(SD_TURBO_SCHEDULER, 1);
    expect(schedule.timesteps).toEqual([999]);
    expect(schedule.sigmas).toHaveLength(2);
    expect(schedule.sigmas[0]).toBeCloseTo(14.6146, 4);
    expect(schedule.sigmas[1]).toBe(0);
    // Trailing spacing: the initial noise sigma is σ_max itself, not √(σ_max² + 1).
    expect(schedule.initNoiseSigma).toBeCloseTo(14.6146, 4);
  });

  it('spaces several steps from the end of training time ("trailing")', () => {
    // round(arange(1000, 0, −1000/n)) − 1
    expect(eulerSchedule(SD_TURBO_SCHEDULER, 2).timesteps).toEqual([999, 499]);
    expect(eulerSchedule(SD_TURBO_SCHEDULER, 4).timesteps).toEqual([999, 749, 499, 249]);
    // 1000/3 = 333.33: round(1000) − 1, round(666.67) − 1, round(333.33) − 1
    expect(eulerSchedule(SD_TURBO_SCHEDULER, 3).timesteps).toEqual([999, 666, 332]);
    const four = eulerSchedule(SD_TURBO_SCHEDULER, 4);
    four.timesteps.forEach((t, i) => {
      const a = ac[t] as number;
      expect(four.sigmas[i]).toBeCloseTo(Math.sqrt((1 - a) / a), 10);
    });
    expect(four.sigmas.at(-1)).toBe(0);
    for (let i = 1; i < four.sigmas.length; i++) expect(four.sigmas[i]).toBeLessThan(four.sigmas[i - 1] as number);
  });

  it('rounds trailing timesteps half to even, as numpy does', () => {
    // diffusers: np.round(np.arange(1000, 0, -1000 / steps)) - 1. np.round sends a value exactly
    // halfway between two integers to the even one (812.5 -> 812, 937.5 -> 938); Math.round
    // would send every half up.
    const roundHalfEven = (x: number): number => {
      const low = Math.floor(x);
      const fraction = x - low;
      if (fraction !== 0.5) return fraction < 0.5 ? low : low + 1;
      return low % 2 === 0 ? low : low + 1;
    };
    // 16 steps: arange gives 1000, 937.5, 875, 812.5, ... (ratio 62.5), so every other value is a half.
    const sixteen = eulerSchedule(SD_TURBO_SCHEDULER, 16);
    expect(sixteen.timesteps).toEqual([999, 937, 874, 811, 749, 687, 624, 561, 499, 437, 374, 311, 249, 187, 124, 61]);
    // σ_811 = 5.37633 (σ_812 would be 5.40134).
    expect(sixteen.sigmas[3]).toBeCloseTo(5.37633, 4);
    for (let steps = 1; steps <= 50; steps++) {
      const ratio = 1000 / steps;
      const expected = Array.from({ length: steps }, (_, i) => roundHalfEven(1000 - i * ratio) - 1);
      expect(eulerSchedule(SD_TURBO_SCHEDULER, steps).timesteps, `${steps} steps`).toEqual(expected);
    }
  });

  it('supports "leading" spacing with its steps_offset and √(σ² + 1) initial noise', () => {
    const leading: EulerSchedulerConfig = { ...SD_TURBO_SCHEDULER, timestepSpacing: 'leading', stepsOffset: 1 };
    const schedule = eulerSchedule(leading, 4);
    // 1000 // 4 = 250: [3, 2, 1, 0] · 250 + 1
    expect(schedule.timesteps).toEqual([751, 501, 251, 1]);
    const top = schedule.sigmas[0] as number;
    expect(schedule.initNoiseSigma).toBeCloseTo(Math.sqrt(top * top + 1), 10);
  });

  it('rejects step counts outside 1..1000', () => {
    for (const steps of [0, -1, 1.5, 1001]) expect(() => eulerSchedule(SD_TURBO_SCHEDULER, steps)).toThrow(/Steps must be/);
  });

  it('scales the UNet input by 1/√(σ² + 1)', () => {
    // σ = 14.6146: σ² + 1 = 214.5877, √ = 14.64881, 1/√ = 0.0682649
    const scaled = scaleModelInput(Float32Array.from([1, -2, 0]), 14.614641229333646);
    expect(scaled[0]).toBeCloseTo(0.0682649, 6);
    expect(scaled[1]).toBeCloseTo(-0.1365298, 6);
    expect(scaled[2]).toBe(0);
  });

  it('predicts x0 = x − σ·ε and lands on it in the final step', () => {
    const sigma = 14.614641229333646;
    const x = Float32Array.from([2, 0]);
    const eps = Float32Array.from([0.1, -1]);
    // 2 − 14.6146 · 0.1 = 0.538536; 0 − 14.6146 · (−1) = 14.6146
    const x0 = predictOriginal(x, eps, sigma, 'epsilon');
    expect(x0[0]).toBeCloseTo(0.538536, 5);
    expect(x0[1]).toBeCloseTo(14.6146, 4);
    const last = eulerStep(x, eps, sigma, 0, 'epsilon');
    expect(last[0]).toBeCloseTo(0.538536, 5);
    expect(last[1]).toBeCloseTo(14.6146, 4);
  });

  it('takes an intermediate Euler step along (x − x0)/σ = ε', () => {
    // x = 2, ε = 0.1, σ = 14.6146 -> σ_next = 1.61289: x + ε · (σ_next − σ) = 2 + 0.1 · (−13.00176) = 0.699824
    const next = eulerStep(Float32Array.from([2]), Float32Array.from([0.1]), 14.614641229333646, 1.612886194303876, 'epsilon');
    expect(next[0]).toBeCloseTo(0.699824, 5);
  });

  it('handles v-prediction: x0 = −σ/√(σ²+1) · v + x/(σ²+1)', () => {
    // σ = 1, x = 2, v = 0.5: −0.5/√2 + 2/2 = −0.353553 + 1 = 0.646447
    expect(predictOriginal(Float32Array.from([2]), Float32Array.from([0.5]), 1, 'v_prediction')[0]).toBeCloseTo(0.646447, 5);
  });
});
