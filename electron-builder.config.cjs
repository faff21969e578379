/**
 * Packaging of the desktop app: `npm run dist` (scripts/dist.mjs builds the app, then runs
 * electron-builder, installed in packaging/, for this OS).
 *
 * Native modules (better-sqlite3, onnxruntime-node) are rebuilt for Electron's ABI by
 * electron-builder's npmRebuild and must live outside app.asar: the OS loads .node files and
 * onnxruntime's shared libraries (libonnxruntime.so.*, *.dll, *.dylib) from real paths.
 *
 * @type {import('app-builder-lib').Configuration}
 */
module.exports = {
  appId: 'org.diffusionstudio.app',
  productName: 'Diffusion Studio',
  copyright: 'Copyright © Diffusion Studio contributors (MIT)',

  directories: {
    output: 'release',
    // Not the default "build": electron-builder leaves buildResources out of the app, and
    // build/ is where the bundled programs live.
    buildResources: 'build-resources',
  },

  // Only what runs: the bundled main/preload/serve/cli programs, the built renderer and the
  // manifest. Runtime dependencies (package.json "dependencies") are added by electron-builder.
  files: ['build/**', '!build/**/*.map', 'renderer/dist/**', 'package.json'],

  asarUnpack: ['**/*.node', 'node_modules/onnxruntime-node/bin/**', 'node_modules/better-sqlite3/build/Release/**'],

  // Bundled pipelines sit beside the app (process.resourcesPath/pipelines), where
  // main/electron/main.ts looks for them when app.isPackaged.
  extraResources: [{ from: 'native-models/pipelines', to: 'pipelines', filter: ['**/*'] }],

  npmRebuild: true,

  // Electron fuses, flipped in the packaged binary before signing (@electron/fuses, run by
  // electron-builder itself). The app needs none of what they switch off:
  // - runAsNode off: ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node interpreter
  //   (the job worker is a utilityProcess, not a fork);
  // - NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect off: no code injected through the
  //   environment or a debugger port;
  // - only app.asar is loaded, and its integrity is checked (macOS, Windows) against the hash
  //   written at build time, so a modified app.asar or a loose app/ folder does not run;
  // - file:// keeps no extra privileges (pages come from studio://); cookies are encrypted.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
    enableCookieEncryption: true,
  },

  linux: {
    category: 'Graphics',
    target: ['AppImage', 'deb'],
    artifactName: 'diffusion-studio-${version}-${arch}.${ext}',
  },
  // onnxruntime and Chromium need a current glibc/nss; dpkg pulls the usual Electron deps.
  deb: { depends: ['libnss3', 'libgtk-3-0', 'libxss1', 'libasound2'] },
  mac: { category: 'public.app-category.graphics-design', target: ['dmg'], hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};
