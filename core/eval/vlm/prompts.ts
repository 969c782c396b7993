import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import { MirageError } from '../../errors.js';

export const DEFAULT_PROMPT_VERSION = 'v1';

/** The calls of Mirage's own compare-then-refine searcher (prompt set v1). */
export const MIRAGE_CALLS = ['describe', 'compare', 'refine', 'answer', 'refine-answer', 'elaborate'] as const;
/** The calls of the published GenIR simulator, one per model call its three scripts make (genir-ref). */
export const REFERENCE_CALLS = [
  'describe',
  'compare',
  'refine',
  'prediction-describe',
  'prediction-refine',
  'text-describe',
  'critique',
  'critique-refine',
  'answer',
] as const;

export type MirageCall = (typeof MIRAGE_CALLS)[number];
export type ReferenceCall = (typeof REFERENCE_CALLS)[number];

/** Which episode logic drives a set's calls; each protocol needs exactly its own calls. */
const PROTOCOL_CALLS = { mirage: MIRAGE_CALLS, 'genir-ref': REFERENCE_CALLS } as const;
export type PromptProtocol = keyof typeof PROTOCOL_CALLS;

/**
 * Where prompt folders live: next to this module (dist, once the build copies them), then the
 * source tree seen from dist/core/eval/vlm/ (a build that did not copy them).
 */
const PROMPT_ROOTS = [
  fileURLToPath(new URL('./prompts/', import.meta.url)),
  fileURLToPath(new URL('../../../../core/eval/vlm/prompts/', import.meta.url)),
];

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
/** Folder names only: no separators, so a set name can never leave the prompts folder. */
const SET_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const TEMPLATE_FILE = /^[a-z0-9][a-z0-9.-]*\.md$/;

const manifestSchema = z.strictObject({
  protocol: z.enum(Object.keys(PROTOCOL_CALLS) as [PromptProtocol, ...PromptProtocol[]]),
  /** Where the wording comes from, for sets that reproduce published prompts. */
  source: z.string().min(1).optional(),
  /** The reference puts the images before the prompt text; Mirage's own set puts them after. */
  imageOrder: z.enum(['before-text', 'after-text']),
  /** The sampling the set was written for; the repetition penalty is sent unless overridden. */
  sampling: z
    .strictObject({ temperature: z.number().min(0).max(2), topP: z.number().gt(0).max(1), repetitionPenalty: z.number().positive() })
    .optional(),
  calls: z.record(
    z.string(),
    z.strictObject({
      system: z.string().regex(TEMPLATE_FILE),
      user: z.string().regex(TEMPLATE_FILE),
      /** Sent as max_tokens and filled into {{maxTokens}}, like the reference's max_new_tokens. */
      maxTokens: z.number().int().positive().optional(),
    }),
  ),
});

export type PromptSampling = NonNullable<z.output<typeof manifestSchema>['sampling']>;

/** One call, ready to send: its system message, its user text and its token budget. */
export interface RenderedCall {
  readonly system: string;
  readonly user: string;
  readonly maxTokens?: number;
}

export interface PromptSet {
  readonly version: string;
  readonly protocol: PromptProtocol;
  readonly source?: string;
  readonly imagesFirst: boolean;
  readonly sampling?: PromptSampling;
  /** Each call's max_tokens, for the calls that set one. */
  readonly budgets: Readonly<Record<string, number>>;
  /** Known differences from the published protocol the set reproduces (deviations.md), one per item. */
  readonly deviations: readonly string[];
  /**
   * The named call with every {{placeholder}} filled, {{maxTokens}} from the call's budget; a
   * placeholder without a value, a value without a placeholder or a call the set lacks throws.
   */
  render(call: MirageCall | ReferenceCall, values?: Readonly<Record<string, string>>): RenderedCall;
}

/** Loads one set's manifest and templates eagerly, so that a missing file fails at start, not mid-run. */
export function loadPromptSet(version: string = DEFAULT_PROMPT_VERSION): PromptSet {
  if (!SET_NAME.test(version)) {
    throw new MirageError('INVALID_INPUT', `Prompt set must be a folder name such as "v1" or "genir-ref", got ${JSON.stringify(version)}.`);
  }
  const root = PROMPT_ROOTS.find((candidate) => existsSync(`${candidate}${version}/calls.json`));
  if (!root) {
    throw new MirageError('NOT_SUPPORTED', `VLM prompt set ${version} not found; available: ${availablePromptSets().join(', ')}.`);
  }
  const dir = `${root}${version}/`;
  const manifest = readManifest(dir, version);
  const expected: readonly string[] = PROTOCOL_CALLS[manifest.protocol];
  const declared = Object.keys(manifest.calls);
  const wrong = [...expected.filter((c) => !declared.includes(c)), ...declared.filter((c) => !expected.includes(c))];
  if (wrong.length > 0) {
    throw new MirageError(
      'NOT_SUPPORTED',
      `VLM prompt set ${version}: protocol ${manifest.protocol} needs exactly the calls ${expected.join(', ')}; check ${wrong.join(', ')}.`,
    );
  }
  const templates = new Map<string, string>();
  const template = (file: string): string => {
    const cached = templates.get(file);
    if (cached !== undefined) return cached;
    if (!existsSync(`${dir}${file}`)) throw new MirageError('NOT_SUPPORTED', `VLM prompt file missing: ${dir}${file}`);
    const text = readFileSync(`${dir}${file}`, 'utf8').trim();
    templates.set(file, text);
    return text;
  };
  const calls = new Map(Object.entries(manifest.calls).map(([name, call]) => [name, { ...call, system: template(call.system), user: template(call.user) }]));
  return {
    version,
    protocol: manifest.protocol,
    ...(manifest.source ? { source: manifest.source } : {}),
    imagesFirst: manifest.imageOrder === 'before-text',
    ...(manifest.sampling ? { sampling: manifest.sampling } : {}),
    budgets: Object.fromEntries(Object.entries(manifest.calls).flatMap(([name, c]) => (c.maxTokens === undefined ? [] : [[name, c.maxTokens]]))),
    deviations: readDeviations(`${dir}deviations.md`),
    render(name, values = {}) {
      const call = calls.get(name);
      if (!call) throw new MirageError('INVALID_INPUT', `VLM prompt set ${version} has no ${name} call.`);
      const all = call.maxTokens === undefined ? values : { ...values, maxTokens: String(call.maxTokens) };
      const used = new Set<string>();
      const rendered = {
        system: fill(`${version}/${name} (system)`, call.system, all, used),
        user: fill(`${version}/${name}`, call.user, all, used),
      };
      assertAllUsed(`${version}/${name}`, all, used);
      return call.maxTokens === undefined ? rendered : { ...rendered, maxTokens: call.maxTokens };
    },
  };
}

/** The prompt sets that can be loaded, by folder name. */
export function availablePromptSets(): string[] {
  const names = new Set<string>();
  for (const root of PROMPT_ROOTS) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(`${root}${entry.name}/calls.json`)) names.add(entry.name);
    }
  }
  return [...names].sort();
}

/** Fills {{name}} placeholders; a template and its caller drifting apart is an error, not a silent blank. */
export function renderTemplate(label: string, template: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>();
  const text = fill(label, template, values, used);
  assertAllUsed(label, values, used);
  return text;
}

function fill(label: string, template: string, values: Readonly<Record<string, string>>, used: Set<string>): string {
  return template.replace(PLACEHOLDER, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new MirageError('INVALID_INPUT', `Prompt ${label} needs a value for {{${key}}}.`);
    used.add(key);
    return value;
  });
}

function assertAllUsed(label: string, values: Readonly<Record<string, string>>, used: ReadonlySet<string>): void {
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) {
    throw new MirageError('INVALID_INPUT', `Prompt ${label} has no placeholder for: ${unused.join(', ')}.`);
  }
}

function readManifest(dir: string, version: string): z.output<typeof manifestSchema> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(`${dir}calls.json`, 'utf8'));
  } catch (e) {
    throw new MirageError('NOT_SUPPORTED', `VLM prompt set ${version}: calls.json is not JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MirageError('NOT_SUPPORTED', `VLM prompt set ${version}: calls.json ${issue?.path.join('.') || ''}: ${issue?.message ?? 'malformed'}.`);
  }
  return parsed.data;
}

/** "- " starts an item; the lines under it, up to a blank line or the next item, continue it. */
function readDeviations(file: string): string[] {
  if (!existsSync(file)) return [];
  const items: string[] = [];
  let open = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const text = line.trim();
    if (text.startsWith('- ')) {
      items.push(text.slice(2).trim());
      open = true;
    } else if (text === '') {
      open = false;
    } else if (open) {
      items[items.length - 1] += ` ${text}`;
    }
  }
  return items;
}
