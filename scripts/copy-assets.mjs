// tsc compiles only TypeScript; the VLM prompt templates must sit beside the compiled modules.
import { cpSync } from 'node:fs';

cpSync('core/eval/vlm/prompts', 'dist/core/eval/vlm/prompts', { recursive: true });
