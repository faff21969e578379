/**
 * Where the studio keeps its data: the SQLite store, generated images, user models.
 *
 * STUDIO_HOME wins when set (tests and CI point it at a temporary folder). Otherwise the
 * platform's per-user app-data folder, the same one Electron's app.getPath('appData') uses,
 * so the CLI, browser mode and the desktop app share one history.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'diffusion-studio';

export function resolveStudioHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.STUDIO_HOME?.trim();
  if (fromEnv) return path.resolve(fromEnv);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
  }
}

/** Layout under STUDIO_HOME; every path is absolute. */
export interface StudioPaths {
  home: string;
  /** SQLite database file (WAL mode, so -wal and -shm files sit beside it). */
  db: string;
  /** Generated PNGs, one subfolder per UTC day. */
  outputs: string;
  /** User-installed pipelines in the diffusers ONNX layout, one folder each. */
  models: string;
  /** Component variants (e.g. int8 denoisers): variants/<component sha256>/<variant name>/. */
  variants: string;
  /** Images saved but never recorded in the history (a crash in between), moved aside at start. */
  orphans: string;
}

export function studioPaths(home: string = resolveStudioHome()): StudioPaths {
  return {
    home,
    db: path.join(home, 'studio.db'),
    outputs: path.join(home, 'outputs'),
    models: path.join(home, 'models'),
    variants: path.join(home, 'variants'),
    orphans: path.join(home, 'orphans'),
  };
}
