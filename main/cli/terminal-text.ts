/**
 * Text from the history (prompts, model ids, paths) made safe to print on a terminal.
 *
 * A prompt is user input and may hold control characters: ESC sequences that recolour, move
 * the cursor, retitle the window or hide lines, carriage returns that overwrite the line, and
 * bidirectional overrides that reorder what is shown. Each is printed as a visible JSON-style
 * escape (ESC → `\u001b`), so what the terminal shows is exactly what the prompt holds.
 */

/** C0 controls, DEL, C1 controls, and the Unicode bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character replaced by its `\uXXXX` escape. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line: runs of spaces and tabs become one space, cut to `max` characters of the prompt, then controls are escaped. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/[ \t]+/g, ' ').trim();
  return escapeControls(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}
