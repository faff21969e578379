/**
 * What a model folder declares about how to run it (contract/recommended-settings.ts), and
 * whether it is a test fixture that users should not see.
 *
 * Sources, first match wins:
 *  1. `recommended` in the folder's own studio.json (how a user model declares them);
 *  2. the `recommended-settings.json` sidecar beside the folder (how bundled models do: their
 *     folders must stay byte-identical, since their content hash names them in every recipe
 *     and report). An entry applies only when both its key (the model id) and its `sha256`
 *     (the pipeline hash, main/runtime/model-hash.ts) match, so a retrained or edited model
 *     does not inherit settings tuned for other weights;
 *  3. GENERIC_RECOMMENDED.
 *
 * A malformed declaration is a StudioError MODEL_LAYOUT naming the file and the field, never a
 * silent fallback: a typo in a model's settings should be seen, not guessed around.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../contract/errors';
import { formatIssuePath } from '../../core/schema/issue-path';
import { GENERIC_RECOMMENDED, recommendedSettingsSchema, type RecommendedSettings } from '../../contract/recommended-settings';
import { folderHashSync, type HashStore } from '../runtime/model-hash';

export const RECOMMENDED_SETTINGS_FILE = 'recommended-settings.json';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits (the pipeline sha256)' });

const sidecarSchema = z.strictObject({
  about: z.string().optional(),
  models: z.record(
    z.string(),
    z.strictObject({
      sha256,
      recommended: recommendedSettingsSchema.optional(),
      /** An untrained pipeline for tests: listed only with STUDIO_SHOW_FIXTURES=1. */
      fixture: z.boolean().optional(),
    }),
  ),
});
type Sidecar = z.infer<typeof sidecarSchema>;

export interface ModelDeclarations {
  recommended: RecommendedSettings;
  fixture: boolean;
}

/** Whether test fixtures are listed: the test suites set STUDIO_SHOW_FIXTURES=1, users never need to. */
export function showFixtures(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.STUDIO_SHOW_FIXTURES === '1';
}

/** "models.emoji.recommended.cfg: must be a number between 0 and 30 (got 40)": the first problem, with where it is. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'is invalid';
  return issue.path.length === 0 ? issue.message : `${formatIssuePath(issue.path)}: ${issue.message}`;
}

/** Parsed sidecars by path, reused while the file's size and mtime stay the same. */
const sidecars = new Map<string, { stamp: string; sidecar: Sidecar | null }>();

/** The sidecar beside `pipelineDir`, or null when there is none. @throws StudioError MODEL_LAYOUT when it is malformed */
export function readSidecar(pipelineDir: string): Sidecar | null {
  const file = path.join(path.dirname(path.resolve(pipelineDir)), RECOMMENDED_SETTINGS_FILE);
  let stamp: string;
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
  const hit = sidecars.get(file);
  if (hit?.stamp === stamp) return hit.sidecar;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StudioError('MODEL_LAYOUT', `${file} is not valid JSON: ${reason}`, RECOMMENDED_SETTINGS_FILE);
  }
  const parsed = sidecarSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StudioError('MODEL_LAYOUT', `${file}: ${firstIssue(parsed.error)}`, RECOMMENDED_SETTINGS_FILE);
  }
  sidecars.set(file, { stamp, sidecar: parsed.data });
  return parsed.data;
}

/**
 * The declarations of the pipeline in `dir` listed as `id`; `studioJson` is its parsed studio.json;
 * `hashes` keeps the pipeline hash the sidecar is matched by across processes.
 * @throws StudioError MODEL_LAYOUT when studio.json's `recommended` or the sidecar is malformed
 */
export function modelDeclarations(dir: string, id: string, studioJson: Record<string, unknown> | undefined, hashes?: HashStore): ModelDeclarations {
  const own = studioJson?.['recommended'];
  if (own !== undefined) {
    const parsed = recommendedSettingsSchema.safeParse(own);
    if (!parsed.success) {
      throw new StudioError('MODEL_LAYOUT', `${path.join(dir, 'studio.json')}: recommended: ${firstIssue(parsed.error)}`, 'studio.json');
    }
    return { recommended: { ...parsed.data, source: 'model' }, fixture: false };
  }
  const entry = readSidecar(dir)?.models[id];
  // Hash only folders the sidecar names (the bundled ones): a user's multi-GB folder is never read here.
  if (entry === undefined || folderHashSync(dir, hashes) !== entry.sha256) return { recommended: GENERIC_RECOMMENDED, fixture: false };
  return {
    recommended: entry.recommended ? { ...entry.recommended, source: 'model' } : GENERIC_RECOMMENDED,
    fixture: entry.fixture ?? false,
  };
}
