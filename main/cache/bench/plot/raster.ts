/**
 * A minimal RGB8 raster for charts: filled rectangles, straight lines of any width, markers and
 * 5×7 bitmap text (scaled by whole pixels, horizontal or rotated a quarter turn for a y-axis
 * label). No anti-aliasing: the output is a crisp PNG (main/png/png-writer.ts).
 */
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font-5x7';

export type Rgb = readonly [number, number, number];
export type Marker = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross';

export class Raster {
  /** Interleaved RGB, row-major, width·height·3 bytes. */
  readonly data: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb = [255, 255, 255]) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`raster size must be positive integers, got ${width}x${height}`);
    this.data = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  /** Sets one pixel; coordinates outside the raster are ignored. */
  set(x: number, y: number, c: Rgb): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const at = (yi * this.width + xi) * 3;
    this.data[at] = c[0];
    this.data[at + 1] = c[1];
    this.data[at + 2] = c[2];
  }

  get(x: number, y: number): Rgb {
    const at = (y * this.width + x) * 3;
    return [this.data[at] as number, this.data[at + 1] as number, this.data[at + 2] as number];
  }

  fillRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    for (let j = Math.max(0, Math.round(y)); j < Math.min(this.height, Math.round(y + h)); j++) {
      for (let i = Math.max(0, Math.round(x)); i < Math.min(this.width, Math.round(x + w)); i++) this.set(i, j, c);
    }
  }

  /** A line from (x0, y0) to (x1, y1), `width` pixels thick; `dash` [on, off] in pixels along it. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, width = 1, dash?: readonly [number, number]): void {
    const length = Math.hypot(x1 - x0, y1 - y0);
    const n = Math.max(1, Math.ceil(length * 2));
    const r = (width - 1) / 2;
    for (let k = 0; k <= n; k++) {
      const along = (k / n) * length;
      if (dash && along % (dash[0] + dash[1]) >= dash[0]) continue;
      const x = x0 + ((x1 - x0) * k) / n;
      const y = y0 + ((y1 - y0) * k) / n;
      for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) this.set(x + dx, y + dy, c);
    }
  }

  /** A filled marker of radius `r` centred on (x, y). */
  marker(x: number, y: number, shape: Marker, c: Rgb, r = 5): void {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const inside =
          shape === 'circle' ? dx * dx + dy * dy <= r * r + r
          : shape === 'square' ? Math.abs(dx) <= r - 1 && Math.abs(dy) <= r - 1
          : shape === 'diamond' ? Math.abs(dx) + Math.abs(dy) <= r
          : shape === 'triangle' ? dy >= -r && 2 * Math.abs(dx) <= dy + r
          : Math.abs(dx - dy) <= 1 || Math.abs(dx + dy) <= 1;
        if (inside) this.set(x + dx, y + dy, c);
      }
    }
  }

  /** Pixel width of `text` at `scale` (one blank column between glyphs). */
  static textWidth(text: string, scale: number): number {
    return text.length === 0 ? 0 : ([...text].length * (GLYPH_WIDTH + 1) - 1) * scale;
  }

  static textHeight(scale: number): number {
    return GLYPH_HEIGHT * scale;
  }

  /** `text` with its top-left corner at (x, y); `vertical` reads bottom to top, (x, y) then its bottom-left. */
  text(x: number, y: number, text: string, c: Rgb, scale = 1, vertical = false): void {
    [...text].forEach((ch, n) => {
      const rows = glyph(ch);
      const offset = n * (GLYPH_WIDTH + 1) * scale;
      rows.forEach((row, gy) => {
        [...row].forEach((bit, gx) => {
          if (bit !== '#') return;
          for (let sy = 0; sy < scale; sy++) {
            for (let sx = 0; sx < scale; sx++) {
              const u = offset + gx * scale + sx;
              const v = gy * scale + sy;
              if (vertical) this.set(x + v, y - u, c);
              else this.set(x + u, y + v, c);
            }
          }
        });
      });
    });
  }
}
