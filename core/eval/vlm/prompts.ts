import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MirageError } from '../../errors.js';

export const DEFAULT_PROMPT_VERSION = 'v1';

export const PROMPT_NAMES = ['system', 'describe', 'compare', 'refine', 'answer', 'refine-answer', 'elaborate'] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

/**
 * Where prompt folders live: next to this module (dist, once the build copies them), then the
 * source tree seen from dist/core/eval/vlm/ (a build that did not copy them).
 */
const PROMPT_ROOTS = [
  fileURLToPath(new URL('./prompts/', import.meta.url)),
  fileURLToPath(new URL('../../../../core/eval/vlm/prompts/', import.meta.url)),
];

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

export interface PromptSet {
  readonly version: string;
  /** The named template with every {{placeholder}} filled; missing or unused values throw. */
  render(name: PromptName, values?: Readonly<Record<string, string>>): string;
}

/** Loads one version's templates eagerly, so that a missing file fails at start, not mid-run. */
export function loadPromptSet(version: string = DEFAULT_PROMPT_VERSION): PromptSet {
  if (!/^v\d+$/.test(version)) {
    throw new MirageError('INVALID_INPUT', `Prompt version must look like "v1", got ${JSON.stringify(version)}.`);
  }
  const root = PROMPT_ROOTS.find((candidate) => existsSync(`${candidate}${version}`));
  if (!root) {
    throw new MirageError('NOT_SUPPORTED', `VLM prompt version ${version} not found under ${PROMPT_ROOTS.join(' or ')}.`);
  }
  const templates = new Map<PromptName, string>();
  for (const name of PROMPT_NAMES) {
    const file = `${root}${version}/${name}.md`;
    if (!existsSync(file)) throw new MirageError('NOT_SUPPORTED', `VLM prompt file missing: ${file}`);
    templates.set(name, readFileSync(file, 'utf8').trim());
  }
  return {
    version,
    render: (name, values = {}) => renderTemplate(`${version}/${name}`, templates.get(name) ?? '', values),
  };
}

/** Fills {{name}} placeholders; a template and its caller drifting apart is an error, not a silent blank. */
export function renderTemplate(label: string, template: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new MirageError('INVALID_INPUT', `Prompt ${label} needs a value for {{${key}}}.`);
    used.add(key);
    return value;
  });
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) {
    throw new MirageError('INVALID_INPUT', `Prompt ${label} has no placeholder for: ${unused.join(', ')}.`);
  }
  return text;
}
