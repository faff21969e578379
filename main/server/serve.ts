/**
 * Entry of browser mode (`node build/serve.cjs [--port N] [--host 127.0.0.1] [--token T]`):
 * the same studio back end as the desktop app, served over HTTP for any local browser.
 *
 * Prints exactly one line on stdout once listening,
 * `studio: browser mode at http://127.0.0.1:<port>/?token=<token>`, which scripts/start.mjs
 * and the e2e tests parse; opening that address gives the browser the access token
 * (access-token.ts). Everything else goes to stderr. SIGINT/SIGTERM stop the server, stop
 * the running job (it is retried at the next start, and queued jobs resume then) and close
 * the database before exiting. Jobs run in a child process, build/job-worker.cjs.
 */
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { resolveStudioHome, studioPaths } from '../config/studio-home';
import { APP_VERSION } from '../service/app-version';
import { nodeWorkerSpawner } from '../jobs/node-worker';
import { createStudioService } from '../service/studio-service';
import { generateAccessToken } from './access-token';
import { startHttpServer } from './http-server';
import { parseServeArgs, ServeArgsError } from './serve-args';

/** build/serve.cjs sits in <root>/build, so the app root is one level up. */
const appRoot = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  const paths = studioPaths(resolveStudioHome());
  const service = createStudioService({
    paths,
    appVersion: APP_VERSION,
    mode: 'browser',
    bundledModelsDir: path.join(appRoot, 'native-models', 'pipelines'),
    spawnWorker: nodeWorkerSpawner(path.join(__dirname, 'job-worker.cjs')),
    ...(args.progressIntervalMs === undefined ? {} : { progressIntervalMs: args.progressIntervalMs }),
  });
  let server;
  try {
    const token = args.token ?? generateAccessToken();
    server = await startHttpServer({ service, staticDir: path.join(appRoot, 'renderer', 'dist'), host: args.host, port: args.port, token });
  } catch (err) {
    await service.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ServeArgsError(`port ${args.port} is already in use: pass --port <another> (or --port 0 for any free port)`);
    }
    throw err;
  }
  process.stdout.write(`studio: browser mode at ${server.openUrl}\n`);
  process.stderr.write(`studio: data in ${paths.home}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`studio: ${signal}, stopping\n`);
    void Promise.all([server.close(), service.close()]).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('studio: error while stopping:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const message = err instanceof ServeArgsError ? err.message : err instanceof Error ? err.message : String(err);
  process.stderr.write(`studio: ${message}\n`);
  // A StudioError is a sentence for the user (e.g. an unusable STUDIO_HOME); only the unexpected gets a stack.
  if (!(err instanceof ServeArgsError) && !(err instanceof StudioError)) console.error(err);
  process.exit(2);
});
