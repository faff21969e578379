/**
 * Entry of the desktop app (build/electron-main.cjs).
 *
 * Order matters: scheme privileges and the userData path are fixed before `ready`; the
 * single-instance lock (keyed by userData) is taken before anything opens the database,
 * so two app instances never run jobs on one store. The studio service (database, model
 * registry, job queue) is created once and shared with IPC; it is closed (the running job
 * stopped, to be retried at the next start; WAL checkpointed) before the process exits. Jobs
 * run in a utility process (build/job-worker.cjs), so inference never blocks this one.
 */
import { app, BrowserWindow, dialog } from 'electron';
import path from 'node:path';
import { APP_DIR_NAME, resolveStudioHome, studioPaths } from '../config/studio-home';
import { createStudioService, type StudioService } from '../service/studio-service';
import { registerDesktopHandlers } from './desktop-ipc';
import { forwardEvents, registerIpcHandlers } from './ipc';
import { handleStudioProtocol, registerStudioSchemePrivileges } from './studio-protocol';
import { utilityWorkerSpawner } from './utility-worker';
import { createStudioWindow, installWebContentsGuards } from './window';

/** build/electron-main.cjs lives in <app root>/build (inside app.asar when packaged). */
const appRoot = path.resolve(__dirname, '..');
const preloadPath = path.join(__dirname, 'preload.cjs');
const workerPath = path.join(__dirname, 'job-worker.cjs');
const rendererDir = path.join(appRoot, 'renderer', 'dist');

registerStudioSchemePrivileges();
// Same folder as resolveStudioHome()'s default, so the CLI, browser mode and the app share
// one history whatever productName the packager writes.
app.setPath('userData', path.join(app.getPath('appData'), APP_DIR_NAME));

function bundledModelsDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'pipelines') : path.join(appRoot, 'native-models', 'pipelines');
}

function studioHome(): string {
  return process.env.STUDIO_HOME?.trim() ? resolveStudioHome() : app.getPath('userData');
}

let service: StudioService | undefined;
let closing: Promise<void> | undefined;
let closed = false;

function focusOrOpen(): void {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  } else {
    createStudioWindow(preloadPath);
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  installWebContentsGuards();
  service = createStudioService({
    paths: studioPaths(studioHome()),
    appVersion: app.getVersion(),
    mode: 'electron',
    bundledModelsDir: bundledModelsDir(),
    spawnWorker: utilityWorkerSpawner(workerPath),
  });
  handleStudioProtocol(rendererDir, service);
  registerIpcHandlers(service);
  registerDesktopHandlers(service);
  forwardEvents(service);
  createStudioWindow(preloadPath);
  app.on('activate', focusOrOpen);
}

if (!app.requestSingleInstanceLock()) {
  // Another studio is running: it gets focused by its 'second-instance' handler.
  app.quit();
} else {
  app.on('second-instance', focusOrOpen);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // before-quit, not will-quit: the windows are still open, so the running job's last event
  // (job.retried: it runs again at the next start, as in browser mode) reaches them and the
  // queue panel does not show a job that is no longer running. Closing every window quits too,
  // and passes here first.
  app.on('before-quit', (event) => {
    if (closed || !service) return;
    // Hold the exit until the running job stopped and the database closed cleanly; a
    // second quit request meanwhile waits for the same close.
    event.preventDefault();
    closing ??= service
      .close()
      .catch((err: unknown) => console.error('studio: error while closing:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  start().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    console.error('studio: failed to start:', err);
    dialog.showErrorBox('Diffusion Studio could not start', message);
    app.exit(1);
  });
}
