import type { Engine } from '../core/ports/engine.js';
import type { ClientState } from './client-state.js';
import type { ResolvedOptions } from './options.js';

/** What every tool handler works with: the engine, the server's options and this client's state. */
export interface ToolContext {
  readonly engine: Engine;
  readonly options: ResolvedOptions;
  readonly state: ClientState;
}
