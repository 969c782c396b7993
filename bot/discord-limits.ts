/**
 * Discord's limits on one message, as documented for the API (v10). Every payload the bot sends
 * is built to fit; `messageProblems` finds what would not, for the builders' tests and as a
 * last check before sending.
 */
export const DISCORD_LIMITS = {
  customIdChars: 100,
  actionRows: 5,
  buttonsPerRow: 5,
  selectOptions: 25,
  /** Components V2: every component in the message, nested ones included. */
  v2Components: 40,
  v2TextChars: 4000,
  attachments: 10,
  /** Used when an interaction does not say (its attachment_size_limit). */
  defaultAttachmentBytes: 10 * 1024 * 1024,
  selectLabelChars: 100,
  selectPlaceholderChars: 150,
  buttonLabelChars: 80,
  contentChars: 2000,
  modalTitleChars: 45,
  textInputChars: 4000,
  autocompleteChoices: 25,
} as const;

const ACTION_ROW = 1;
const BUTTON = 2;
const STRING_SELECT = 3;
const TEXT_DISPLAY = 10;

interface RawComponent {
  readonly type: number;
  readonly custom_id?: string;
  readonly label?: string;
  readonly content?: string;
  readonly options?: readonly { label: string }[];
  readonly placeholder?: string;
  readonly components?: readonly RawComponent[];
  readonly accessory?: RawComponent;
  readonly items?: readonly unknown[];
}

export interface MessageShape {
  readonly content?: string;
  readonly components?: readonly RawComponent[];
  readonly files?: readonly { readonly bytes: number }[];
  readonly attachmentLimit?: number;
}

/** Everything in a message payload that breaks a limit (empty when it fits). */
export function messageProblems(message: MessageShape): string[] {
  const problems: string[] = [];
  const all: RawComponent[] = [];
  const walk = (c: RawComponent) => {
    all.push(c);
    for (const child of c.components ?? []) walk(child);
    if (c.accessory) walk(c.accessory);
  };
  for (const c of message.components ?? []) walk(c);
  if ((message.content ?? '').length > DISCORD_LIMITS.contentChars) problems.push(`content over ${DISCORD_LIMITS.contentChars} characters`);
  if (all.length > DISCORD_LIMITS.v2Components) problems.push(`${all.length} components (limit ${DISCORD_LIMITS.v2Components})`);
  const rows = all.filter((c) => c.type === ACTION_ROW);
  if (rows.length > DISCORD_LIMITS.actionRows) problems.push(`${rows.length} action rows (limit ${DISCORD_LIMITS.actionRows})`);
  for (const row of rows) {
    const buttons = (row.components ?? []).filter((c) => c.type === BUTTON).length;
    if (buttons > DISCORD_LIMITS.buttonsPerRow) problems.push(`a row of ${buttons} buttons (limit ${DISCORD_LIMITS.buttonsPerRow})`);
    if ((row.components ?? []).some((c) => c.type === STRING_SELECT) && (row.components ?? []).length > 1) problems.push('a select menu shares its row');
  }
  for (const c of all) {
    if (c.custom_id !== undefined && c.custom_id.length > DISCORD_LIMITS.customIdChars) problems.push(`custom id "${c.custom_id}" over ${DISCORD_LIMITS.customIdChars} characters`);
    if (c.type === BUTTON && (c.label ?? '').length > DISCORD_LIMITS.buttonLabelChars) problems.push(`button label over ${DISCORD_LIMITS.buttonLabelChars} characters`);
    if (c.type === STRING_SELECT) {
      const options = c.options ?? [];
      if (options.length > DISCORD_LIMITS.selectOptions) problems.push(`a select with ${options.length} options (limit ${DISCORD_LIMITS.selectOptions})`);
      if (options.length === 0) problems.push('a select without options');
      if (options.some((o) => o.label.length > DISCORD_LIMITS.selectLabelChars)) problems.push('a select option label too long');
    }
  }
  const text = all.filter((c) => c.type === TEXT_DISPLAY).reduce((n, c) => n + (c.content ?? '').length, 0);
  if (text > DISCORD_LIMITS.v2TextChars) problems.push(`${text} characters of text displays (limit ${DISCORD_LIMITS.v2TextChars})`);
  const files = message.files ?? [];
  if (files.length > DISCORD_LIMITS.attachments) problems.push(`${files.length} attachments (limit ${DISCORD_LIMITS.attachments})`);
  const cap = message.attachmentLimit ?? DISCORD_LIMITS.defaultAttachmentBytes;
  for (const f of files) if (f.bytes > cap) problems.push(`an attachment of ${f.bytes} bytes (limit ${cap})`);
  return problems;
}
