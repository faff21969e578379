/**
 * `npm run dist` cannot run here (it needs the Electron binary), so its configuration is checked
 * the way electron-builder checks it before building: electron-builder.yml against the schema of
 * the installed electron-builder, plus the settings the app relies on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/runtime-fixture';

type Config = Record<string, unknown> & { electronFuses?: Record<string, boolean>; asarUnpack?: string[]; linux?: { target?: string[] }; win?: { target?: string[] }; mac?: { target?: string[] } };

// electron-builder's own loader and validator (app-builder-lib is what `electron-builder` runs).
const { getConfig, validateConfiguration } = require(path.join(REPO_ROOT, 'node_modules/app-builder-lib/out/util/config/config')) as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, logger: unknown): Promise<void>;
};
const { DebugLogger } = require(path.join(REPO_ROOT, 'node_modules/builder-util')) as { DebugLogger: new (enabled: boolean) => unknown };

async function load(): Promise<Config> {
  return getConfig(REPO_ROOT, path.join(REPO_ROOT, 'electron-builder.yml'), null);
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('and the schema does catch a wrong key (the check is live)', async () => {
    const config = { ...(await load()), electronFuses: { runAsNode: false, notAFuse: true } };
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('flips the fuses the desktop app is hardened with', async () => {
    expect((await load()).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds AppImage and deb, nsis and dmg, with native modules outside the asar', async () => {
    const config = await load();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/onnxruntime-node/bin/**']));
  });

  it('npm run dist builds first, then packages', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/^node scripts\/build\.mjs && electron-builder\b/);
  });
});
