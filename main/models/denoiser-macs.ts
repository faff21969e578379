/**
 * MACs per denoiser call, from the `denoiser-macs.json` sidecar that sits beside pipeline folders
 * (written by the export that made them; native-models/studio_models/folder_hash.py). Keyed by the
 * denoiser folder's content hash, so a renamed or copied pipeline keeps its figure and a changed
 * denoiser loses it. Unknown models give undefined: hybrid accounting then falls back to time.
 */
import fs from 'node:fs';
import path from 'node:path';

export const DENOISER_MACS_FILE = 'denoiser-macs.json';

interface Sidecar {
  denoisers?: Record<string, { macsPerCall?: unknown }>;
}

/** MACs of one batch-1 call of the denoiser with `hash` in the pipeline folder `pipelineDir`, if recorded. */
export function denoiserMacs(pipelineDir: string, hash: string): number | undefined {
  const file = path.join(path.dirname(path.resolve(pipelineDir)), DENOISER_MACS_FILE);
  let sidecar: Sidecar;
  try {
    sidecar = JSON.parse(fs.readFileSync(file, 'utf8')) as Sidecar;
  } catch {
    // Absent or unreadable: the figure is simply unknown.
    return undefined;
  }
  const macs = sidecar.denoisers?.[hash]?.macsPerCall;
  return typeof macs === 'number' && Number.isFinite(macs) && macs > 0 ? macs : undefined;
}
