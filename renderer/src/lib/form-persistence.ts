/**
 * The generation form survives a reload: its fields are kept in the page's localStorage (one
 * JSON value, versioned), restored when the studio starts, and saved as they change. Stored
 * values are checked field by field, so a stale or hand-edited entry restores what it can and
 * the form's own checks still judge the rest. A model that no longer exists is dropped when the
 * catalog loads (the default model takes its place).
 */
import { PROVIDER_CHOICES, SCHEDULER_NAMES, type ProviderChoice, type SchedulerName } from '../../../contract/api';

const KEY = 'diffusion-studio.form.v1';

export interface SavedForm {
  prompt: string;
  negativePrompt: string;
  steps: number | null;
  cfg: number | null;
  seed: number | null;
  newSeedEachRun: boolean;
  model: string;
  provider: ProviderChoice;
  scheduler: SchedulerName;
}

/** The storage the page has, if any (absent in tests and if the browser blocks it). */
function storage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage;
  } catch {
    return undefined;
  }
}

/** What a previous page saved; only fields of the right type. */
export function loadSavedForm(): Partial<SavedForm> {
  let raw: unknown;
  try {
    raw = JSON.parse(storage()?.getItem(KEY) ?? 'null');
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<SavedForm> = {};
  for (const key of ['prompt', 'negativePrompt', 'model'] as const) if (typeof r[key] === 'string') out[key] = r[key];
  for (const key of ['steps', 'cfg', 'seed'] as const) if (typeof r[key] === 'number' && Number.isFinite(r[key])) out[key] = r[key];
  if (typeof r['newSeedEachRun'] === 'boolean') out.newSeedEachRun = r['newSeedEachRun'];
  if ((PROVIDER_CHOICES as readonly unknown[]).includes(r['provider'])) out.provider = r['provider'] as ProviderChoice;
  if ((SCHEDULER_NAMES as readonly unknown[]).includes(r['scheduler'])) out.scheduler = r['scheduler'] as SchedulerName;
  return out;
}

export function saveForm(form: SavedForm): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(form));
  } catch {
    // A full or blocked storage only loses the convenience.
  }
}
