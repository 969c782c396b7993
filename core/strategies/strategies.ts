import type { StrategyName } from '../session/session.js';
import { generativeStrategy } from './generative.js';
import { hybridStrategy } from './hybrid.js';
import { predictionStrategy } from './prediction.js';
import type { Strategy } from './strategy.js';
import { textStrategy } from './text.js';
import { verbalStrategy } from './verbal.js';

const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  generative: generativeStrategy,
  text: textStrategy,
  hybrid: hybridStrategy,
  prediction: predictionStrategy,
  verbal: verbalStrategy,
};

export const strategyFor = (name: StrategyName): Strategy => STRATEGIES[name];
