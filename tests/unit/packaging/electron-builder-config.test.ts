/**
 * `npm run dist` cannot run here (it needs the Electron binary), so its configuration is checked:
 * the settings the app relies on everywhere, and, where packaging/ is installed (Node 22.12+ for
 * building; `npm --prefix packaging ci`), against the schema of that electron-builder the way it
 * checks a config before building.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/runtime-fixture';

interface Config {
  electronFuses?: Record<string, boolean>;
  asarUnpack?: string[];
  files?: string[];
  linux?: { target?: string[] };
  win?: { target?: string[] };
  mac?: { target?: string[] };
  [key: string]: unknown;
}

const CONFIG_FILE = path.join(REPO_ROOT, 'electron-builder.config.cjs');
const config = require(CONFIG_FILE) as Config;
const packagerLib = path.join(REPO_ROOT, 'packaging', 'node_modules', 'app-builder-lib');

describe('electron-builder.config.cjs', () => {
  it('flips the fuses the desktop app is hardened with', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds AppImage and deb, nsis and dmg, with native modules outside the asar', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/onnxruntime-node/bin/**']));
    expect(config.files).toContain('build/**');
  });

  it('npm run dist runs scripts/dist.mjs, which builds and packages with this config', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
    const script = fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'dist.mjs'), 'utf8');
    expect(script).toContain("'electron-builder.config.cjs'");
    expect(script).toContain("'build.mjs'");
    // The packager is packaging/'s dependency, not the app's: the app installs on Node 20.19.
    expect(pkg.devDependencies['electron-builder']).toBeUndefined();
  });
});

const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
const belowPackagingNode = nodeMajor < 22 || (nodeMajor === 22 && nodeMinor < 12);

describe.runIf(belowPackagingNode)('npm run dist on the Node the studio itself needs', () => {
  it('says what packaging needs and stops before installing or building anything', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'dist.mjs')], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`dist: building installers needs Node.js 22.12 or newer (found ${process.versions.node}); the studio itself runs on 20.19+.\n`);
    expect(r.stdout).toBe('');
  });
});

describe.skipIf(!fs.existsSync(packagerLib))("electron-builder's own check (packaging/ installed)", () => {
  type Lib = { getConfig(dir: string, file: string, extra: null): Promise<Config>; validateConfiguration(c: Config, logger: unknown): Promise<void> };
  const lib = (): Lib => require(path.join(packagerLib, 'out/util/config/config')) as Lib;
  const logger = (): unknown => new (require(path.join(REPO_ROOT, 'packaging/node_modules/builder-util')) as { DebugLogger: new (on: boolean) => unknown }).DebugLogger(false);

  it('loads the config file and passes the schema', async () => {
    const loaded = await lib().getConfig(REPO_ROOT, CONFIG_FILE, null);
    expect(loaded.electronFuses).toEqual(config.electronFuses);
    await expect(lib().validateConfiguration(loaded, logger())).resolves.toBeUndefined();
  });

  it('and the schema does catch a wrong key (the check is live)', async () => {
    await expect(lib().validateConfiguration({ ...config, electronFuses: { runAsNode: false, notAFuse: true } }, logger())).rejects.toThrow(/electronFuses/);
  });
});
