/** The profiling dialog's starting prompts (shared with `studio profile`), and how it reads the user's. */
export { DEFAULT_CALIBRATION_PROMPTS } from '../../../contract/calibration-prompts';

/** One prompt per non-empty line, trimmed. */
export function parsePromptLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
