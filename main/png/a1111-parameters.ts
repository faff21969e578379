/**
 * The A1111 webui `parameters` text, the de-facto way PNGs carry their generation settings
 * (read by A1111's "PNG Info", Civitai, InvokeAI, ComfyUI loaders and image browsers):
 *
 *   <prompt>
 *   Negative prompt: <negative prompt>          (line omitted when empty)
 *   Steps: 20, Sampler: DDIM, CFG scale: 5, Seed: 42, Size: 64x64, Model hash: 0123456789, Model: tiny
 *
 * Values holding ',', ':' or a newline are JSON-quoted, as A1111's `quote()` does.
 * The parser follows A1111's `parse_generation_parameters`: the last line is the settings
 * line when it has at least three `Key: value` pairs; earlier lines are the prompt until a
 * line starting with "Negative prompt:".
 */
import type { Recipe } from '../../contract/api';

/** A1111 sampler names for the diffusers scheduler classes the studio runs. */
const SAMPLER_NAMES: Record<string, string> = {
  DDIMScheduler: 'DDIM',
  EulerDiscreteScheduler: 'Euler',
  EulerAncestralDiscreteScheduler: 'Euler a',
  DPMSolverMultistepScheduler: 'DPM++ 2M',
  FlowMatchEulerDiscreteScheduler: 'Euler',
  PNDMScheduler: 'PLMS',
  LMSDiscreteScheduler: 'LMS',
};

export function a1111SamplerName(schedulerClass: string): string {
  return SAMPLER_NAMES[schedulerClass] ?? schedulerClass;
}

function quote(value: string): string {
  return /[,:\n]/.test(value) ? JSON.stringify(value) : value;
}

function cacheSummary(cache: NonNullable<Recipe['cache']>): string {
  const knobs = Object.entries(cache)
    .filter(([k]) => k !== 'method')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : String(v)}`);
  return [cache.method, ...knobs].join(' ');
}

/** Formats a Recipe as A1111 `parameters` text. */
export function formatA1111Parameters(recipe: Recipe): string {
  const settings: [string, string][] = [
    ['Steps', String(recipe.steps)],
    ['Sampler', a1111SamplerName(recipe.scheduler)],
    ['CFG scale', String(recipe.cfg)],
    ['Seed', String(recipe.seed)],
    ['Size', `${recipe.width}x${recipe.height}`],
    ['Model hash', recipe.modelHash.slice(0, 10)],
    ['Model', recipe.modelId],
  ];
  // A1111 keeps unknown keys as-is, so the cache setting travels as one extra pair (the full
  // config is in the studio-recipe chunk), e.g. `Cache: "fora interval=2"`.
  if (recipe.cache !== undefined && recipe.cache.method !== 'none') settings.push(['Cache', cacheSummary(recipe.cache)]);
  const lines = [recipe.prompt];
  if (recipe.negativePrompt !== '') lines.push(`Negative prompt: ${recipe.negativePrompt}`);
  lines.push(settings.map(([k, v]) => `${k}: ${quote(v)}`).join(', '));
  return lines.join('\n');
}

export interface A1111Parameters {
  prompt: string;
  negativePrompt: string;
  /** Every `Key: value` pair of the settings line, values unquoted. */
  settings: Record<string, string>;
  steps?: number;
  cfg?: number;
  seed?: number;
  width?: number;
  height?: number;
  sampler?: string;
  modelHash?: string;
  model?: string;
}

const PAIR = /\s*([\w][\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;

function parseSettings(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(PAIR)) {
    const key = (m[1] ?? '').trim();
    let value = (m[2] ?? '').trim();
    if (value.startsWith('"') && value.endsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        // keep the raw text: A1111 writes it unchanged when it is not valid JSON
      }
    }
    out[key] = value;
  }
  return out;
}

function num(value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return undefined;
  return n;
}

/** Parses A1111 `parameters` text; fields it cannot read are left undefined. */
export function parseA1111Parameters(text: string): A1111Parameters {
  const lines = text.replace(/\r\n/g, '\n').trim().split('\n');
  let settings: Record<string, string> = {};
  const last = lines[lines.length - 1] ?? '';
  const candidate = parseSettings(last);
  if (lines.length > 0 && Object.keys(candidate).length >= 3) {
    settings = candidate;
    lines.pop();
  }
  const prompt: string[] = [];
  const negative: string[] = [];
  let inNegative = false;
  for (const line of lines) {
    if (line.startsWith('Negative prompt:')) {
      inNegative = true;
      negative.push(line.slice('Negative prompt:'.length).trimStart());
    } else (inNegative ? negative : prompt).push(line);
  }
  const out: A1111Parameters = { prompt: prompt.join('\n'), negativePrompt: negative.join('\n'), settings };
  const size = /^(\d+)x(\d+)$/.exec(settings.Size ?? '');
  const fields: Partial<A1111Parameters> = {
    steps: num(settings.Steps, true),
    cfg: num(settings['CFG scale'], false),
    seed: num(settings.Seed, true),
    width: size ? Number(size[1]) : undefined,
    height: size ? Number(size[2]) : undefined,
    sampler: settings.Sampler,
    modelHash: settings['Model hash'],
    model: settings.Model,
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}
