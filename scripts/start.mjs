// `npm start`: builds when build/ is missing or older than the sources, then opens the
// desktop app, or, where Electron cannot run (its binary was never downloaded, or Linux
// without a display), browser mode with the URL printed (and opened when a browser can be).
//
//   npm start                  desktop app if possible, else browser mode
//   npm start -- --browser     always browser mode
//   npm start -- --port 8000   browser-mode options are passed through to build/serve.cjs
//                              (--port, --host, --token)
//
// Browser mode prints its address with the launch's access token (`/?token=…`); that exact
// address is the one opened or shown, since the API refuses a page opened without it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** What the build produces; all must exist and be newer than every source. */
const OUTPUTS = ['build/serve.cjs', 'build/electron-main.cjs', 'build/preload.cjs', 'build/cli.cjs', 'renderer/dist/index.html'];
/** Where sources live (folders are walked, skipping build output and dependencies). */
const SOURCES = ['main', 'preload', 'contract', 'core', 'renderer', 'scripts/build.mjs', 'package.json', 'package-lock.json'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.git']);

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

/** Why a build is needed, or null when build/ is up to date. */
function staleReason() {
  const stats = OUTPUTS.map((o) => [o, fs.statSync(path.join(root, o), { throwIfNoEntry: false })]);
  const missing = stats.find(([, st]) => !st);
  if (missing) return `${missing[0]} is missing`;
  const oldestOutput = Math.min(...stats.map(([, st]) => st.mtimeMs));
  const newestSource = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  return newestSource > oldestOutput ? 'sources changed since the last build' : null;
}

/** The Electron binary, or the reason it cannot be used here. */
function findElectron() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  let binary;
  try {
    // The electron package exports its binary's path, read from node_modules/electron/path.txt.
    binary = require('electron');
  } catch {
    return { reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) {
    return { reason: `the Electron binary is missing (${binary})` };
  }
  return { binary };
}

function canOpenBrowser() {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  // On Linux without a display xdg-open may start a text browser in this terminal: don't.
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function openInBrowser(url) {
  if (!canOpenBrowser()) return;
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no opener installed: the printed URL is enough
    child.unref();
  } catch {
    // ignore: the URL is printed
  }
}

/** Runs a child to the end, forwarding Ctrl-C / SIGTERM, and exits with its status. */
function supervise(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startBrowserMode(args) {
  const serve = path.join(root, 'build', 'serve.cjs');
  const child = spawn(process.execPath, [serve, ...args], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  let buffer = '';
  let opened = false;
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    process.stdout.write(chunk);
    buffer += chunk;
    const m = /studio: browser mode at (\S+)/.exec(buffer);
    if (m && !opened) {
      opened = true;
      const url = m[1];
      console.log(
        canOpenBrowser()
          ? `studio: opening ${url} in your browser`
          : `studio: open ${url} in a browser on this machine (the address holds this launch's access token: keep it to yourself)`,
      );
      openInBrowser(url);
    }
  });
  supervise(child);
}

const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser') || process.env.STUDIO_BROWSER === '1';
const serveArgs = args.filter((a) => a !== '--browser');

const reason = staleReason();
if (reason) {
  console.log(`studio: building (${reason})…`);
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('studio: the build failed; see the messages above.');
    process.exit(built.status ?? 1);
  }
}

const electron = forceBrowser ? { reason: 'browser mode was requested' } : findElectron();
if ('binary' in electron) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary behave as plain node
  supervise(spawn(electron.binary, [root], { cwd: root, stdio: 'inherit', env }));
} else {
  console.log(`studio: the desktop app cannot start: ${electron.reason}. Opening browser mode instead.`);
  startBrowserMode(serveArgs);
}
