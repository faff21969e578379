/**
 * The studio's version, from package.json (bundled into build/*.cjs by esbuild, so the
 * browser-mode server and the CLI report the same version as the desktop app's
 * `app.getVersion()`).
 */
import pkg from '../../package.json';

export const APP_VERSION: string = pkg.version;
