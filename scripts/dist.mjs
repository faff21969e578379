// `npm run dist`: builds the app, then its installers for this OS with electron-builder
// (AppImage and deb on Linux, nsis on Windows, dmg on macOS; electron-builder.config.cjs).
//
// electron-builder lives in packaging/, not in the app's own dependencies: it needs Node 22.12+
// (its native-module rebuilder does), while the studio itself runs on Node 20.19+, so keeping it
// apart lets `npm ci` install the studio on Node 20 without engine warnings. It also needs the
// Electron binary (not downloaded when ELECTRON_SKIP_BINARY_DOWNLOAD=1 was set at install).
// Arguments are passed to electron-builder, e.g. `npm run dist -- --linux deb`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packaging = path.join(root, 'packaging');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function fail(message) {
  console.error(`dist: ${message}`);
  process.exit(1);
}

function run(command, args, cwd = root) {
  const r = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) fail(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  fail(`building installers needs Node.js 22.12 or newer (found ${process.versions.node}); the studio itself runs on 20.19+.`);
}
let electronBinary;
try {
  // The electron package's index.js resolves to the binary it downloaded at install.
  electronBinary = (await import('electron')).default;
} catch {
  electronBinary = undefined;
}
if (typeof electronBinary !== 'string' || !fs.existsSync(electronBinary)) {
  fail('the Electron binary is not installed; run `npm rebuild electron` (without ELECTRON_SKIP_BINARY_DOWNLOAD) first.');
}

const builder = path.join(packaging, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
if (!fs.existsSync(builder)) run(npm, ['ci', '--no-audit', '--no-fund'], packaging);
run(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
run(builder, ['--projectDir', root, '--config', path.join(root, 'electron-builder.config.cjs'), '--publish', 'never', ...process.argv.slice(2)]);
