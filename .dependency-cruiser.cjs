/**
 * The studio's layers, checked by dependency-cruiser (`npm run lint:deps`, part of `npm test`):
 *
 *   core/      pure TypeScript sampler and caching engine: runs in main and in the renderer
 *   contract/  the typed API between back end and front end, built on core
 *   main/      the Node back end (Electron main, browser-mode server, CLI)
 *   renderer/  the Svelte front end, which talks to main only through contract
 *
 * Paths are relative to the repository root. Package paths are matched without a leading `^`
 * because a package resolves to `node_modules/<name>/…` under whichever folder holds it.
 * tests/unit/dependency-rules.test.ts proves each rule fires on a forbidden import.
 */

/** Packages that need Node or a native add-on: only main may load them. */
const NODE_ONLY_PACKAGES = 'node_modules/(electron|onnxruntime-node|onnxruntime-web|better-sqlite3|ws)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-no-node-builtins',
      comment: 'core runs in the renderer too: no fs, path, crypto or any other node built-in.',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-node-packages',
      comment: 'core runs in the renderer too: no electron, onnxruntime, better-sqlite3 or ws.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: NODE_ONLY_PACKAGES },
    },
    {
      name: 'core-only-core',
      comment: 'core is the bottom layer: it imports only itself and zod (no contract, main or renderer).',
      severity: 'error',
      from: { path: '^core/' },
      to: { pathNot: ['^core/', 'node_modules/zod/', NODE_ONLY_PACKAGES], dependencyTypesNot: ['core'] },
    },
    {
      name: 'contract-only-contract-core',
      comment: 'contract is compiled by main, preload and the renderer: it imports only contract, core and zod.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { pathNot: ['^contract/', '^core/', 'node_modules/zod/'] },
    },
    {
      name: 'onnxruntime-only-in-ort-runner',
      comment: 'Every ORT call goes through main/runtime/ort-runner.ts (the ModelRunner seam); test helpers may use ORT directly.',
      severity: 'error',
      from: { pathNot: ['^main/runtime/ort-runner\\.ts$', '^tests/'] },
      to: { path: 'node_modules/onnxruntime-node/' },
    },
    {
      name: 'renderer-only-contract-core',
      comment: 'The renderer reaches the back end only through contract: it imports its own code, contract, core and npm packages.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { pathNot: ['^renderer/src/', '^contract/', '^core/', 'node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer is a browser page: no node built-ins.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-node-packages',
      comment: 'The renderer is a browser page: no electron, onnxruntime, better-sqlite3 or ws.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: NODE_ONLY_PACKAGES },
    },
    {
      name: 'no-circular',
      comment:
        'No runtime import cycles: a cycle makes module initialisation order matter (a binding used before it is set). ' +
        'Cycles through a type-only import vanish when compiled; folder-level cycles below catch them between folders.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folders form layers: no two folders depend on each other, directly or through others (type-only imports count).',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve would slip past every path rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too: a layer must not even name another's types.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^renderer/dist/', '^build/'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.svelte', '.json'],
    },
  },
};
