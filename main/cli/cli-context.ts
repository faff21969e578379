/**
 * What every `studio` subcommand works with: STUDIO_HOME paths, the model registry, the
 * SQLite store and the app version, opened the same way the desktop app opens them, so
 * the CLI and the app share history and models.
 */
import fs from 'node:fs';
import path from 'node:path';
import { prepareStudioHome } from '../config/prepare-studio-home';
import { resolveStudioHome, studioPaths, type StudioPaths } from '../config/studio-home';
import { findAppRoot } from '../models/app-root';
import { ModelRegistry } from '../models/model-registry';
import { openStudioDb, type StudioDb } from '../store/studio-db';

export interface CliContext {
  paths: StudioPaths;
  registry: ModelRegistry;
  appVersion: string;
  /** Opens the database on first use (models/providers never touch it). */
  db(): StudioDb;
  close(): void;
}

export function openCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const paths = studioPaths(resolveStudioHome(env));
  const appRoot = findAppRoot(__dirname, env);
  const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version?: unknown };
  let db: StudioDb | undefined;
  const openDb = (): StudioDb => {
    if (!db) {
      prepareStudioHome(paths, ['home']);
      db = openStudioDb(paths.db);
    }
    return db;
  };
  return {
    paths,
    // Listing models uses the hash store only once a database exists: a command that stores
    // nothing (eval, a refused --out) leaves STUDIO_HOME untouched.
    registry: new ModelRegistry({ userDir: paths.models, bundledDir: path.join(appRoot, 'native-models', 'pipelines'), hashes: () => (fs.existsSync(paths.db) ? openDb().folderHashes : undefined) }),
    appVersion: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    db: openDb,
    close() {
      db?.close();
      db = undefined;
    },
  };
}
