import type { StageTimings } from '../session/session.js';

type Stage = 'generate' | 'embed' | 'search';

/** Accumulates wall time per round stage, so every round reports where its time went. */
export class StageTimer {
  private readonly started = performance.now();
  private readonly spent: Record<Stage, number> = { generate: 0, embed: 0, search: 0 };

  async time<T>(stage: Stage, work: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.spent[stage] += performance.now() - t0;
    }
  }

  timings(): StageTimings {
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    return {
      generate: round(this.spent.generate),
      embed: round(this.spent.embed),
      search: round(this.spent.search),
      total: round(performance.now() - this.started),
    };
  }
}
