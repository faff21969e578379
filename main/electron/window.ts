/**
 * The studio window and the rules every web contents in the app lives by.
 *
 * The renderer runs with Electron's full isolation (contextIsolation, sandbox, no node
 * integration, web security on): it reaches the back end only through the preload's
 * `window.studio`. It may not open windows, navigate off studio://app, attach webviews
 * or get permissions (camera, notifications, …); https links open in the user's browser.
 */
import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { STUDIO_APP_ORIGIN } from '../../contract/preload-api';

/** Opens the main window on studio://app/index.html. */
export function createStudioWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 520,
    show: false,
    backgroundColor: '#111318',
    title: 'Diffusion Studio',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // Shown once painted, so the user never sees a white flash.
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${STUDIO_APP_ORIGIN}/index.html`);
  return win;
}

function isAppUrl(url: string): boolean {
  return url.startsWith(`${STUDIO_APP_ORIGIN}/`);
}

function guardContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Installs the guards for every web contents the app will ever create (call once, when ready). */
export function installWebContentsGuards(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
