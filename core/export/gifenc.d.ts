/**
 * Types for gifenc 1.0.3, which ships none: the functions encodeGif calls (gif-file.ts's
 * GifencApi has the same shapes). Referenced from gif-file.ts, so every program that
 * compiles it (main, the renderer) sees them.
 */
declare module 'gifenc' {
  export type Palette = number[][];
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options: { palette?: Palette; delay?: number; repeat?: number }): void;
    finish(): void;
    bytes(): Uint8Array;
    readonly stream: { writeBytes(data: ArrayLike<number>): void };
  }
  export function GIFEncoder(): Encoder;
  export function quantize(rgba: Uint8Array, maxColors: number): Palette;
  export function applyPalette(rgba: Uint8Array, palette: Palette): Uint8Array;
}
