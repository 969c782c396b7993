import path from 'node:path';
import { loadConfig, type MirageConfig } from '../core/config/config.js';
import type { Runtime, RuntimeOptions } from '../core/runtime/runtime.js';
import type { Engine } from '../core/ports/engine.js';
import type { CliIo } from './output.js';

/** Builds the Engine (and, for world building, the archive store and models) from the config. */
export type RuntimeFactory = (config: MirageConfig, options?: RuntimeOptions) => Runtime | Promise<Runtime>;

/** Options every command accepts (set on the root program). */
export interface GlobalOptions {
  readonly dataDir?: string;
}

export interface CliContextSettings {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (data dir, --out) resolve against this, not the engine's process. */
  readonly cwd: string;
  readonly createRuntime: RuntimeFactory;
  /** Read when first needed, after commander has parsed the global options. */
  readonly globals: () => GlobalOptions;
}

/**
 * Per-invocation state: configuration and the runtime, built at most once and only by commands
 * that need it (so "--help" and usage errors never open a store or load a model).
 */
export class CliContext {
  readonly io: CliIo;
  /** The environment settings come from (the process's, or a test's). */
  readonly env: Readonly<Record<string, string | undefined>>;
  private runtimePromise: Promise<Runtime> | undefined;

  constructor(private readonly settings: CliContextSettings) {
    this.io = settings.io;
    this.env = settings.env;
  }

  resolvePath(p: string): string {
    return path.resolve(this.settings.cwd, p);
  }

  /** A path as the user should see it: relative when it is under the working directory. */
  displayPath(p: string): string {
    const relative = path.relative(this.settings.cwd, p);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
  }

  /** "mirage" plus the global flags in use, so printed follow-up commands work when pasted. */
  commandPrefix(): string {
    const { dataDir } = this.settings.globals();
    return dataDir === undefined ? 'mirage' : `mirage --data-dir ${shellQuote(dataDir)}`;
  }

  config(): MirageConfig {
    const config = loadConfig(this.settings.env, { dataDir: this.settings.globals().dataDir });
    return { ...config, dataDir: this.resolvePath(config.dataDir), modelsDir: this.resolvePath(config.modelsDir) };
  }

  /**
   * The options only count on the first call: one invocation builds one runtime. Ingestion is the
   * CLI user's own unless a command (the MCP server) serves others.
   */
  runtime(options: RuntimeOptions = {}): Promise<Runtime> {
    this.runtimePromise ??= Promise.resolve().then(() => this.settings.createRuntime(this.config(), { ingestAccess: 'local', ...options }));
    return this.runtimePromise;
  }

  async engine(): Promise<Engine> {
    return (await this.runtime()).engine;
  }

  async close(): Promise<void> {
    if (!this.runtimePromise) return;
    const runtime = await this.runtimePromise.catch(() => undefined);
    await runtime?.engine.close();
  }
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
