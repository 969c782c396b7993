import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { MirageError } from '../../errors.js';
import { deriveSeed } from '../../random/seed.js';
import type { EpisodeOptions } from '../episode-options.js';
import { shownRankOf, type EpisodeRecord, type EpisodeRound } from '../episode-record.js';
import { showFeedback } from '../shown-feedback.js';
import type { ChatClient } from '../vlm/chat-client.js';
import { imagePart, textPart, type ChatMessage, type ContentPart, type ToolCall } from '../vlm/chat-messages.js';
import { AGENT_TOOLS, functionToolsFrom, isAgentTool } from './agent-tools.js';
import { requireOk, toolOutput, type ToolOutput } from './tool-output.js';
import { episodeSearcherSeed } from '../episode-seeds.js';

/** The MCP client calls the agent makes; the SDK's Client provides them. */
export type AgentMcpClient = Pick<Client, 'listTools' | 'callTool' | 'getPrompt'>;

/** The server's prompt that explains the search loop; it becomes the system message. */
export const SEARCHER_PROMPT = 'mental-image-searcher';

export interface McpAgentEpisodeSettings {
  readonly client: AgentMcpClient;
  readonly chat: ChatClient;
  /** Model turns allowed per search round before the episode is abandoned as stuck. */
  readonly turnsPerRound: number;
}

const startedSchema = z.object({ session: z.object({ id: z.string() }), roundsPlanned: z.number().int(), scored: z.boolean() });
const roundSchema = z.object({ evaluation: z.object({ roundsLeft: z.number().int() }) });
const finishedSchema = z.object({ ranks: z.array(z.number().int().min(0)), targetId: z.string(), scored: z.boolean() });

const HARNESS_RULES = [
  'You are in an evaluation: the image you remember is attached to the first user message. You never learn its id or rank.',
  'Use exactly one search_round call per turn, with your complete description. The session is filled in for you.',
  'show_image shows only images the search has shown you (by id). Keep refining until no rounds are left.',
].join('\n');

/**
 * One evaluation episode played by an LLM through the Mirage MCP tools: the harness starts the
 * evaluation (the server was handed the runner's target and seed when it was connected, out of
 * the model's reach; the call names neither, so the episode is scored), the model calls
 * search_round / show_image / session_history as function tools until the rounds are used, and
 * the harness finishes the evaluation. Ranks come from finish_evaluation, measured by the server
 * through Engine.rankOf; the rest of the record from the session, as runEpisode records it.
 */
export async function playMcpAgentEpisode(options: EpisodeOptions, settings: McpAgentEpisodeSettings): Promise<EpisodeRecord> {
  const { engine, archive, strategy, targetId, signal } = options;
  const { client, chat } = settings;
  const started = performance.now();
  const call = async (name: string, args: Record<string, unknown>): Promise<ToolOutput> =>
    toolOutput(await client.callTool({ name, arguments: args }, undefined, signal ? { signal } : {}));

  const start = await call('start_evaluation', {
    archive,
    strategy,
    rounds: options.rounds,
    k: options.k,
    samples: options.samples,
  });
  const { session: { id: sessionId }, roundsPlanned, scored } = startedSchema.parse(requireOk('start_evaluation', start));
  if (!scored) throw new MirageError('MODEL_ERROR', 'The MCP server started an unscored evaluation; connect it with the episode\'s assignment.');
  const prompt = await client.getPrompt({ name: SEARCHER_PROMPT, arguments: { archive, rounds: String(roundsPlanned) } });
  const instructions = prompt.messages.flatMap((m) => (m.content.type === 'text' ? [m.content.text] : [])).join('\n');
  const tools = functionToolsFrom((await client.listTools()).tools);

  const messages: ChatMessage[] = [
    { role: 'system', content: `${instructions}\n\n${HARNESS_RULES}` },
    {
      role: 'user',
      content: [
        textPart(`This is the image you remember. You have ${roundsPlanned} search rounds. Call search_round with your first description.`),
        ...start.images.map(imagePart),
      ],
    },
  ];
  // The searcher's seed ignores the strategy, as in runEpisode: the same "person" faces every strategy.
  const seed = episodeSearcherSeed(options.seed, targetId);
  let roundsLeft = roundsPlanned;

  const runCall = async (toolCall: ToolCall): Promise<ToolOutput> => {
    const name = toolCall.function.name;
    if (!isAgentTool(name)) return refusal(`There is no tool "${name}"; use ${Object.keys(AGENT_TOOLS).join(', ')}.`);
    let args: unknown;
    try {
      args = JSON.parse(toolCall.function.arguments || '{}');
    } catch {
      return refusal(`The arguments of ${name} are not valid JSON.`);
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) return refusal(`The arguments of ${name} must be a JSON object.`);
    const given = args as Record<string, unknown>;
    // The server itself refuses show_image of images this evaluation did not show.
    const filled = name === 'show_image' ? { ...given, archive } : { ...given, session: sessionId };
    const output = await call(name, filled);
    if (name === 'search_round' && !output.isError) {
      const round = roundSchema.parse(output.structured);
      roundsLeft = round.evaluation.roundsLeft;
    }
    return output;
  };

  const maxTurns = roundsPlanned * settings.turnsPerRound;
  for (let turn = 1; roundsLeft > 0; turn++) {
    signal?.throwIfAborted();
    if (turn > maxTurns) {
      throw new MirageError('MODEL_ERROR', `The agent used ${maxTurns} turns with ${roundsLeft} of ${roundsPlanned} search rounds still unplayed.`);
    }
    const reply = await chat.converse(messages, { tools, seed: deriveSeed(seed, 'turn', turn) });
    messages.push({ role: 'assistant', content: reply.text || null, ...(reply.toolCalls.length > 0 ? { tool_calls: reply.toolCalls } : {}) });
    if (reply.toolCalls.length === 0) {
      messages.push({ role: 'user', content: `You have ${roundsLeft} search round${roundsLeft === 1 ? '' : 's'} left: call search_round with your next description.` });
      continue;
    }
    const images: string[] = [];
    for (const toolCall of reply.toolCalls) {
      const output = await runCall(toolCall);
      messages.push({ role: 'tool', tool_call_id: toolCall.id, content: output.isError ? `Error: ${output.text}` : output.text });
      images.push(...output.images);
    }
    if (images.length > 0) {
      dropOldImages(messages);
      messages.push({ role: 'user', content: [textPart('The images returned by those tool calls, in order:'), ...images.map(imagePart)] });
    }
  }

  const finish = await call('finish_evaluation', { session: sessionId });
  const finished = finishedSchema.parse(requireOk('finish_evaluation', finish));
  // A server that drew its own target would be measuring some other episode than the runner's.
  if (finished.targetId !== targetId || !finished.scored) {
    throw new MirageError('MODEL_ERROR', `The MCP server evaluated target ${finished.targetId} (scored: ${finished.scored}), not the assigned ${targetId}.`);
  }
  const { ranks } = finished;
  const session = await engine.getSession(sessionId);
  const target = options.observe ? { id: targetId, image: await engine.getImage({ kind: 'archive', archive, id: targetId }) } : undefined;
  const rounds: EpisodeRound[] = [];
  for (const round of session.rounds) {
    const rank = ranks[round.index];
    if (rank === undefined) throw new MirageError('MODEL_ERROR', `finish_evaluation returned no rank for round ${round.index}.`);
    const hits = round.hits.map((h) => h.id);
    rounds.push({ round: round.index, query: round.query, rank, hits, shownRank: shownRankOf(hits, targetId), feedback: round.feedback, timings: round.timings });
    if (options.observe && target) await options.observe({ strategy, target, round, rank, shown: await showFeedback(engine, archive, round) });
  }
  return { strategy, targetId, sessionId, rounds, searcherUsage: chat.usage(), wallMs: Math.round(performance.now() - started) };
}

const refusal = (text: string): ToolOutput => ({ text, images: [], isError: true });

/**
 * Keeps image tokens bounded: only the target (first user message) and the newest round's
 * images stay; earlier tool images become a note, since the descriptions carry the history.
 */
function dropOldImages(messages: ChatMessage[]): void {
  messages.forEach((message, i) => {
    if (i <= 1 || message.role !== 'user' || typeof message.content === 'string') return;
    const parts: readonly ContentPart[] = message.content;
    if (!parts.some((p) => p.type === 'image_url')) return;
    messages[i] = { role: 'user', content: '(images of an earlier round, no longer shown)' };
  });
}
