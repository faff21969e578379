/**
 * Client-side checks of the generation form, mirroring the back end's validator and the
 * shared LIMITS, so most mistakes show next to the field before anything is sent. The back
 * end still validates everything: this is for feedback, not for trust.
 */
import { LIMITS } from '../../../contract/api';

export type FormField = 'prompt' | 'negativePrompt' | 'steps' | 'cfg' | 'seed' | 'model';
export type FieldErrors = Partial<Record<FormField, string>>;

/** The form's raw values: number inputs give null while empty or unparsable. */
export interface FormValues {
  prompt: string;
  negativePrompt: string;
  steps: number | null;
  cfg: number | null;
  seed: number | null;
  model: string;
  /** Token counts of [prompt, negative prompt] and the model's limit, when the back end has said. */
  tokens?: { limit: number; counts: number[] } | null;
}

export function checkForm(values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  const [promptTokens, negativeTokens] = values.tokens?.counts ?? [];
  const limit = values.tokens?.limit ?? Infinity;
  const promptError = checkText(values.prompt, 'Prompt') ?? tooLong(promptTokens, limit, 'Prompt');
  if (promptError) errors.prompt = promptError;
  const negativeError = checkText(values.negativePrompt, 'Negative prompt') ?? tooLong(negativeTokens, limit, 'Negative prompt');
  if (negativeError) errors.negativePrompt = negativeError;

  if (!isIntegerIn(values.steps, LIMITS.stepsMin, LIMITS.stepsMax)) {
    errors.steps = `Steps must be a whole number from ${LIMITS.stepsMin} to ${LIMITS.stepsMax}.`;
  }
  if (values.cfg === null || !Number.isFinite(values.cfg) || values.cfg < LIMITS.cfgMin || values.cfg > LIMITS.cfgMax) {
    errors.cfg = `CFG must be a number from ${LIMITS.cfgMin} to ${LIMITS.cfgMax}.`;
  }
  if (!isIntegerIn(values.seed, 0, LIMITS.seedMax)) {
    errors.seed = `Seed must be a whole number from 0 to ${LIMITS.seedMax}.`;
  }
  if (values.model === '') errors.model = 'Choose a model.';
  return errors;
}

function checkText(text: string, label: string): string | null {
  return text.length > LIMITS.promptCharsMax
    ? `${label} is ${text.length} characters; the limit is ${LIMITS.promptCharsMax}.`
    : null;
}

function isIntegerIn(value: number | null, min: number, max: number): value is number {
  return value !== null && Number.isInteger(value) && value >= min && value <= max;
}

/** A uniformly random unsigned 32-bit seed. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

/** The back end's PROMPT_TOO_LONG, before sending. */
function tooLong(count: number | undefined, limit: number, what: string): string | undefined {
  return count !== undefined && count > limit ? `${what} is ${count} tokens; this model accepts at most ${limit}.` : undefined;
}
