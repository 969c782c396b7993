import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MirageError } from '../../core/errors.js';
import type { EncodedImage } from '../../core/images/raw-image.js';
import { contactSheetLayout, renderContactSheet, type Rect } from '../../core/render/contact-sheet.js';

const COLOURS: readonly (readonly [number, number, number])[] = [
  [220, 20, 20],
  [20, 200, 20],
  [20, 20, 220],
  [230, 210, 0],
  [0, 200, 210],
  [200, 0, 200],
  [120, 60, 10],
];

async function solid([r, g, b]: readonly [number, number, number], width: number, height: number): Promise<EncodedImage> {
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, mime: 'image/png', width: info.width, height: info.height };
}

async function decode(image: EncodedImage) {
  const { data, info } = await sharp(image.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => {
    const o = (y * info.width + x) * 3;
    return Array.from(data.subarray(o, o + 3));
  };
  const region = (r: Rect) => {
    const out: number[] = [];
    for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) out.push(...pixel(x, y));
    return out;
  };
  return { info, pixel, region };
}

describe('renderContactSheet', () => {
  it('lays out one numbered cell per image, each showing its own thumbnail', async () => {
    const items = await Promise.all(
      COLOURS.map(async (c, i) => ({ image: await solid(c, 60 + 10 * i, 50), label: `0.${90 - i}` })),
    );
    const options = { columns: 3, cell: 96 };
    const sheet = await renderContactSheet(items, options);
    const layout = contactSheetLayout(items.length, options);

    expect(sheet.mime).toBe('image/png');
    expect((await sharp(sheet.bytes).metadata()).format).toBe('png');
    const { info, pixel, region } = await decode(sheet);
    expect([info.width, info.height]).toEqual([sheet.width, sheet.height]);
    expect([sheet.width, sheet.height]).toEqual([layout.width, layout.height]);
    expect([layout.columns, layout.rows]).toEqual([3, 3]);
    // 3 thumbnails side by side must fit, and 3 rows of thumbnails plus labels.
    expect(sheet.width).toBeGreaterThanOrEqual(3 * 96);
    expect(sheet.height).toBeGreaterThan(3 * 96);
    expect(layout.cells).toHaveLength(items.length);

    COLOURS.forEach((colour, i) => {
      const { thumb } = layout.cells[i]!;
      // The centre of each cell shows that item's colour (away from the #n badge in the corner).
      expect(pixel(thumb.x + Math.floor(thumb.width / 2), thumb.y + Math.floor(thumb.height / 2))).toEqual([...colour]);
    });
    // Every label band has ink in it, and different labels render differently.
    const labels = layout.cells.map((c) => region(c.label));
    for (const l of labels) expect(new Set(l).size).toBeGreaterThan(1);
    expect(labels[0]).not.toEqual(labels[1]);
    // The badges "#1" and "#2" differ.
    const badge = (i: number) => {
      const { thumb } = layout.cells[i]!;
      return region({ x: thumb.x, y: thumb.y, width: 24, height: 14 });
    };
    expect(badge(0)).not.toEqual(badge(1));
  });

  it('uses fewer columns than asked when there are fewer images, and grows with a title', async () => {
    const items = [{ image: await solid([10, 10, 10], 40, 40), label: 'a' }];
    const plain = await renderContactSheet(items, { columns: 5, cell: 64 });
    const titled = await renderContactSheet(items, { columns: 5, cell: 64, title: 'Round 1' });
    const two = await renderContactSheet([...items, ...items], { columns: 5, cell: 64 });
    expect(plain.width).toBeLessThan(two.width);
    expect(titled.width).toBe(plain.width);
    expect(titled.height).toBeGreaterThan(plain.height);
  });

  it('escapes markup in labels and titles instead of breaking the SVG', async () => {
    const image = await solid([200, 200, 200], 32, 32);
    const hostile = '</text><script>alert(1)</script> & "quotes" \u0001';
    const sheet = await renderContactSheet([{ image, label: hostile }], { cell: 64, title: hostile });
    const { region } = await decode(sheet);
    const layout = contactSheetLayout(1, { cell: 64, title: hostile });
    expect(new Set(region(layout.cells[0]!.label)).size).toBeGreaterThan(1);
    expect(new Set(region(layout.title!)).size).toBeGreaterThan(1);
  });

  it('rejects empty input, bad options and undecodable images with MirageError', async () => {
    const image = await solid([1, 2, 3], 8, 8);
    await expect(renderContactSheet([])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(renderContactSheet([{ image, label: 'x' }], { columns: 0 })).rejects.toBeInstanceOf(MirageError);
    await expect(renderContactSheet([{ image, label: 'x' }], { cell: 10_000 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const broken: EncodedImage = { ...image, bytes: Buffer.from('not an image') };
    await expect(renderContactSheet([{ image: broken, label: 'x' }])).rejects.toMatchObject({ code: 'IMAGE_REJECTED' });
  });
});
