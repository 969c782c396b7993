import type { Engine } from '../../ports/engine.js';
import { invalidInput, notSupported } from '../../errors.js';
import { deriveSeed } from '../../random/seed.js';
import type { EpisodeAgent } from '../episode-agent.js';
import type { EpisodeOptions } from '../episode-options.js';
import type { EpisodeRecord } from '../episode-record.js';
import type { EvaluationAssignment } from '../evaluation-assignment.js';
import type { EpisodeSearcher, Searcher } from '../searcher.js';
import { ChatClient, type ChatClientOptions } from '../vlm/chat-client.js';
import type { VlmConfig } from '../vlm/vlm-config.js';
import { playMcpAgentEpisode, type AgentMcpClient } from './mcp-agent-episode.js';

/** An MCP client connected to a Mirage server over the given engine, closed after the episode. */
export interface McpAgentConnection extends AgentMcpClient {
  close(): Promise<void>;
}

export interface McpAgentSearcherOptions {
  /** The LLM endpoint, configured like the VLM searcher (MIRAGE_VLM_*). */
  readonly config: VlmConfig;
  /**
   * Opens a fresh MCP connection per episode, so episodes never share sessions. The server
   * assigns the episode's target and seed from `assignment` itself (out of the agent's reach),
   * so the episode is scored like any server-drawn one.
   */
  readonly connect: (engine: Engine, assignment: EvaluationAssignment) => Promise<McpAgentConnection>;
  /** Model turns allowed per search round (default 4) before the episode counts as stuck. */
  readonly turnsPerRound?: number;
  /** Replaces the real wait between retries (tests). */
  readonly sleep?: ChatClientOptions['sleep'];
}

export const DEFAULT_TURNS_PER_ROUND = 4;

/**
 * `mirage eval --searcher mcp-agent`: an LLM behind an OpenAI-compatible endpoint plays the
 * searcher by calling the Mirage MCP tools. It plays whole episodes (runEpisode hands them
 * over), so the runner's results and report treat it like any other searcher.
 */
export class McpAgentSearcher implements Searcher, EpisodeAgent {
  readonly id: string;

  constructor(private readonly options: McpAgentSearcherOptions) {
    const turns = options.turnsPerRound;
    if (turns !== undefined && !(Number.isInteger(turns) && turns >= 1)) {
      throw invalidInput(`turnsPerRound must be a whole number >= 1, got ${turns}.`);
    }
    this.id = `mcp-agent:${options.config.model}`;
  }

  startEpisode(): Promise<EpisodeSearcher> {
    return Promise.reject(notSupported('The mcp-agent searcher drives its own rounds through MCP; run it with runEpisode.'));
  }

  async playEpisode(options: EpisodeOptions): Promise<EpisodeRecord> {
    const client = await this.options.connect(options.engine, { targetId: options.targetId, seed: options.seed });
    try {
      const chat = new ChatClient(this.options.config, {
        jitterSeed: deriveSeed(options.seed, 'mcp-agent-backoff', options.targetId),
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      });
      return await playMcpAgentEpisode(options, {
        client,
        chat,
        turnsPerRound: this.options.turnsPerRound ?? DEFAULT_TURNS_PER_ROUND,
      });
    } finally {
      await client.close();
    }
  }
}
