/**
 * Finds the studio's install folder (the one whose package.json is named
 * "diffusion-studio"), where bundled pipelines live under native-models/pipelines.
 *
 * Source runs (vitest) have __dirname = <root>/main/models; bundles have
 * __dirname = <root>/build; both reach the root by walking up. STUDIO_APP_ROOT overrides,
 * for unusual layouts; a packaged Electron app instead passes its resources folder to the
 * registry directly (electron-builder puts extra resources under process.resourcesPath).
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';

export const APP_PACKAGE_NAME = 'diffusion-studio';

function isAppRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === APP_PACKAGE_NAME;
  } catch {
    return false;
  }
}

function walkUp(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (isAppRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * @param from where to start walking up (default: this module's folder, then the working directory)
 * @throws StudioError INTERNAL when no folder up the tree is the app root
 */
export function findAppRoot(from: string = __dirname, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.STUDIO_APP_ROOT?.trim();
  if (override) {
    const dir = path.resolve(override);
    if (!isAppRoot(dir)) {
      throw new StudioError('INTERNAL', `STUDIO_APP_ROOT=${dir} has no package.json named "${APP_PACKAGE_NAME}".`);
    }
    return dir;
  }
  const found = walkUp(from) ?? walkUp(process.cwd());
  if (!found) {
    throw new StudioError('INTERNAL', `Cannot find the studio's folder (a package.json named "${APP_PACKAGE_NAME}") above ${from}; set STUDIO_APP_ROOT.`);
  }
  return found;
}

/** <appRoot>/native-models/pipelines: where bundled pipelines live in a source checkout or unpacked build. */
export function bundledPipelinesDir(appRoot: string = findAppRoot()): string {
  return path.join(appRoot, 'native-models', 'pipelines');
}
