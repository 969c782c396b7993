// tsc compiles only TypeScript; the VLM prompt templates and the text tower weights must sit beside the compiled modules.
import { cpSync } from 'node:fs';

cpSync('core/eval/vlm/prompts', 'dist/core/eval/vlm/prompts', { recursive: true });
// The Scenes text tower's committed weights, read by core/scenes/text-tower/text-tower-model.ts.
cpSync('core/scenes/text-tower/weights', 'dist/core/scenes/text-tower/weights', { recursive: true });
