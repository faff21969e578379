/**
 * The studio window and the rules every web contents in the app lives by.
 *
 * The renderer runs with Electron's full isolation (contextIsolation, sandbox, no node
 * integration, web security on): it reaches the back end only through the preload's
 * `window.studio`. It may not open windows, navigate any frame off studio://app, attach
 * webviews, download from anywhere but the app itself, or get permissions (camera,
 * notifications, …); https links to known hosts open in the user's browser
 * (navigation-policy.ts). A packaged app has no DevTools.
 */
import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { STUDIO_APP_ORIGIN } from '../../contract/preload-api';
import { isAllowedDownloadUrl, isAllowedExternalUrl, isAppUrl } from './navigation-policy';

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
      // Development builds keep DevTools; an installed app gives pages no inspector.
      devTools: !app.isPackaged,
    },
  });
  // Shown once painted, so the user never sees a white flash.
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${STUDIO_APP_ORIGIN}/index.html`);
  return win;
}

/** Hands `url` to the user's browser when the allow-list permits it; logs the refusal otherwise. */
function openOutside(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  else console.error(`studio: refused to open ${url.slice(0, 200)} outside the app (only https links to known hosts open)`);
}

function guardContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  // Fired for sub frames too (will-navigate is the main frame only): an iframe may not leave the app either.
  contents.on('will-frame-navigate', (details) => {
    if (!isAppUrl(details.url)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (app.isPackaged) {
    // Belt and braces for devTools: false: a shortcut or a crash handler must not open them either.
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

/** Installs the guards for every web contents the app will ever create (call once, when ready). */
export function installWebContentsGuards(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.on('will-download', (event, item) => {
    if (isAllowedDownloadUrl(item.getURL())) return;
    console.error(`studio: refused a download from ${item.getURL().slice(0, 200)}`);
    event.preventDefault();
  });
}
