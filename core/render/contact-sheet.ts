import sharp, { type OverlayOptions } from 'sharp';
import { invalidInput } from '../errors.js';
import { decodeImage } from '../images/decode.js';
import type { EncodedImage } from '../images/raw-image.js';
import { escapeXml } from './xml.js';

export interface ContactSheetItem {
  readonly image: EncodedImage;
  /** Text under the thumbnail (a score, an id); long labels are cut to the cell width. */
  readonly label: string;
}

export interface ContactSheetOptions {
  /** Thumbnails per row; fewer when there are fewer items. */
  readonly columns?: number;
  /** Side of the square each thumbnail is fitted into, in pixels. */
  readonly cell?: number;
  readonly title?: string;
}

export const CONTACT_SHEET_LIMITS = {
  maxItems: 100,
  maxColumns: 20,
  minCell: 32,
  maxCell: 512,
} as const;

const DEFAULTS = { columns: 5, cell: 160 } as const;
const PADDING = 12;
const GAP = 8;
/** DejaVu Sans averages about 0.62 em per character; used to cut labels before they overflow. */
const CHAR_WIDTH_EM = 0.62;
const FONT_FAMILY = 'DejaVu Sans, sans-serif';
const SHEET_BACKGROUND = '#ffffff';
const CELL_BACKGROUND = '#e6e6e6';
const TEXT_COLOUR = '#222222';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ContactSheetLayout {
  readonly width: number;
  readonly height: number;
  readonly columns: number;
  readonly rows: number;
  readonly cell: number;
  readonly fontSize: number;
  readonly title?: Rect;
  /** Per item: where its thumbnail is fitted (a cell x cell square) and its label band. */
  readonly cells: readonly { readonly thumb: Rect; readonly label: Rect }[];
}

/** Geometry of a sheet, exposed so that callers (and tests) can find each numbered cell. */
export function contactSheetLayout(count: number, options: ContactSheetOptions = {}): ContactSheetLayout {
  const cell = options.cell ?? DEFAULTS.cell;
  const requestedColumns = options.columns ?? DEFAULTS.columns;
  if (!Number.isInteger(count) || count < 1) throw invalidInput('A contact sheet needs at least one image.');
  if (count > CONTACT_SHEET_LIMITS.maxItems) {
    throw invalidInput(`A contact sheet holds at most ${CONTACT_SHEET_LIMITS.maxItems} images; got ${count}.`);
  }
  if (!Number.isInteger(requestedColumns) || requestedColumns < 1 || requestedColumns > CONTACT_SHEET_LIMITS.maxColumns) {
    throw invalidInput(`Contact sheet columns must be a whole number from 1 to ${CONTACT_SHEET_LIMITS.maxColumns}.`);
  }
  if (!Number.isInteger(cell) || cell < CONTACT_SHEET_LIMITS.minCell || cell > CONTACT_SHEET_LIMITS.maxCell) {
    throw invalidInput(
      `Contact sheet cell size must be a whole number of pixels from ${CONTACT_SHEET_LIMITS.minCell} to ${CONTACT_SHEET_LIMITS.maxCell}.`,
    );
  }
  const columns = Math.min(requestedColumns, count);
  const rows = Math.ceil(count / columns);
  const fontSize = Math.max(10, Math.min(18, Math.round(cell / 11)));
  const labelHeight = Math.round(fontSize * 1.8);
  const titleHeight = options.title ? Math.round(fontSize * 2.4) : 0;
  const rowHeight = cell + labelHeight;
  const top = PADDING + titleHeight;
  const cells = Array.from({ length: count }, (_, i) => {
    const x = PADDING + (i % columns) * (cell + GAP);
    const y = top + Math.floor(i / columns) * (rowHeight + GAP);
    return { thumb: { x, y, width: cell, height: cell }, label: { x, y: y + cell, width: cell, height: labelHeight } };
  });
  const width = 2 * PADDING + columns * cell + (columns - 1) * GAP;
  return {
    width,
    height: top + rows * rowHeight + (rows - 1) * GAP + PADDING,
    columns,
    rows,
    cell,
    fontSize,
    ...(options.title ? { title: { x: PADDING, y: PADDING, width: width - 2 * PADDING, height: titleHeight } } : {}),
    cells,
  };
}

/**
 * One PNG showing the thumbnails in rank order, each numbered #1..#N (the numbers users type
 * back as feedback) with its label underneath. Front ends that cannot show a gallery (a
 * terminal, a single chat attachment) show this instead.
 */
export async function renderContactSheet(
  items: readonly ContactSheetItem[],
  options: ContactSheetOptions = {},
): Promise<EncodedImage> {
  const layout = contactSheetLayout(items.length, options);
  const thumbs = await Promise.all(items.map((item) => decodeImage(item.image.bytes, { fit: layout.cell })));
  const thumbOverlays: OverlayOptions[] = thumbs.map((thumb, i) => {
    const { thumb: rect } = cellAt(layout, i);
    return {
      input: Buffer.from(thumb.data.buffer, thumb.data.byteOffset, thumb.data.byteLength),
      raw: { width: thumb.width, height: thumb.height, channels: 3 },
      left: rect.x + Math.floor((rect.width - thumb.width) / 2),
      top: rect.y + Math.floor((rect.height - thumb.height) / 2),
    };
  });
  const svgOverlay = (svg: string): OverlayOptions => ({ input: Buffer.from(svg), left: 0, top: 0 });
  const { data, info } = await sharp({
    create: { width: layout.width, height: layout.height, channels: 3, background: SHEET_BACKGROUND },
  })
    // Cell backgrounds go under the thumbnails (letterboxing), text goes over them.
    .composite([svgOverlay(cellBackgroundsSvg(layout)), ...thumbOverlays, svgOverlay(textSvg(layout, items, options.title))])
    .png({ compressionLevel: 6 })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, mime: 'image/png', width: info.width, height: info.height };
}

function cellAt(layout: ContactSheetLayout, i: number) {
  const cell = layout.cells[i];
  if (!cell) throw new RangeError(`no cell ${i} in a sheet of ${layout.cells.length}`);
  return cell;
}

function svgDocument(layout: ContactSheetLayout, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">${body}</svg>`;
}

function cellBackgroundsSvg(layout: ContactSheetLayout): string {
  const rects = layout.cells
    .map(({ thumb: r }) => `<rect x="${r.x}" y="${r.y}" width="${r.width}" height="${r.height}" fill="${CELL_BACKGROUND}"/>`)
    .join('');
  return svgDocument(layout, rects);
}

function textSvg(layout: ContactSheetLayout, items: readonly ContactSheetItem[], title: string | undefined): string {
  const size = layout.fontSize;
  const parts: string[] = [];
  if (title && layout.title) {
    const t = layout.title;
    const fitted = fitText(title, t.width, size * 1.2);
    parts.push(
      `<text x="${t.x}" y="${t.y + Math.round(size * 1.4)}" font-size="${Math.round(size * 1.2)}" font-weight="bold" fill="${TEXT_COLOUR}">${escapeXml(fitted)}</text>`,
    );
  }
  items.forEach((item, i) => {
    const { thumb, label } = cellAt(layout, i);
    const badge = `#${i + 1}`;
    const badgeWidth = Math.round(badge.length * size * CHAR_WIDTH_EM + size * 0.6);
    const badgeHeight = Math.round(size * 1.5);
    parts.push(
      `<rect x="${thumb.x}" y="${thumb.y}" width="${badgeWidth}" height="${badgeHeight}" fill="#000000" fill-opacity="0.7"/>`,
      `<text x="${thumb.x + Math.round(size * 0.3)}" y="${thumb.y + Math.round(size * 1.1)}" font-size="${size}" font-weight="bold" fill="#ffffff">${badge}</text>`,
      `<text x="${label.x + label.width / 2}" y="${label.y + Math.round(size * 1.3)}" font-size="${size}" text-anchor="middle" fill="${TEXT_COLOUR}">${escapeXml(fitText(item.label, label.width, size))}</text>`,
    );
  });
  return svgDocument(layout, `<g font-family="${FONT_FAMILY}">${parts.join('')}</g>`);
}

/** Cuts text (by code point, before escaping) so it stays inside its band instead of spilling. */
function fitText(text: string, widthPx: number, fontSize: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  const max = Math.max(1, Math.floor(widthPx / (fontSize * CHAR_WIDTH_EM)));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
