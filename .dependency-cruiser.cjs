/** Import rules of ARCHITECTURE.md. A violation fails CI with the rule's comment as the reason. */
/* global process */
/* eslint-disable @typescript-eslint/no-require-imports -- depcruise loads this CommonJS file */
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

// The lists come from the folders of the tree being checked (the working directory), so a new
// library is checked the moment it exists: a library with `src/domain/` is a bounded context,
// every other one is a platform library. Nothing can be in neither list.
const LIBS_DIR = join(process.cwd(), 'libs');
const LIBS = readdirSync(LIBS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const CONTEXT_NAMES = LIBS.filter((name) => existsSync(join(LIBS_DIR, name, 'src', 'domain')));
const PLATFORM_NAMES = LIBS.filter((name) => !CONTEXT_NAMES.includes(name));
if (CONTEXT_NAMES.length === 0 || PLATFORM_NAMES.length === 0) {
  throw new Error(`libs/ in ${process.cwd()} should hold contexts and platform libraries`);
}
const CONTEXTS = `(${CONTEXT_NAMES.join('|')})`;
const PLATFORM = `(${PLATFORM_NAMES.join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'no-cross-context-imports',
      comment:
        'Bounded contexts never import each other: talk through libs/contracts and the messaging library.',
      severity: 'error',
      from: { path: `^libs/${CONTEXTS}/` },
      to: { path: `^libs/${CONTEXTS}/`, pathNot: '^libs/$1/' },
    },
    {
      name: 'no-platform-to-context',
      comment:
        'Platform libraries (every lib without src/domain/) serve every context, so they may not depend on any context.',
      severity: 'error',
      from: { path: `^libs/${PLATFORM}/` },
      to: { path: `^libs/${CONTEXTS}/` },
    },
    {
      name: 'lib-imported-through-its-entry-point',
      comment:
        'Another library is imported only as #lib/<name> (its src/index.ts): its other files are internals it may change without notice. Export what you need from its index, or move the code.',
      severity: 'error',
      // $1 is the importing app or library, so a folder may still reach into itself.
      from: { path: '^((?:apps|libs)/[^/]+)/' },
      to: { path: '^libs/[^/]+/', pathNot: ['^$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'testing-kit-not-exported',
      comment:
        "A library's index never exports its testing/ folder: test doubles would become production API and land in every app's bundle. Tests import the kit by its path.",
      severity: 'error',
      from: { path: '^libs/[^/]+/src/index\\.ts$' },
      to: { path: '^libs/[^/]+/src/testing/' },
    },
    {
      name: 'testing-lib-only-in-tests',
      comment:
        'libs/testing holds test doubles (ManualClock, unit of work, recording publisher, test DataSource): only *.spec.ts files, testing/ folders and test/ may import it, never code that ships.',
      severity: 'error',
      from: {
        pathNot: ['\\.spec\\.ts$', '^libs/[^/]+/src/testing/', '^libs/testing/', '^test/'],
      },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'contracts-stand-alone',
      comment:
        'libs/contracts is shared by all contexts: it may import only itself and libraries from npm.',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: '^(libs|apps)/', pathNot: '^libs/contracts/' },
    },
    {
      name: 'kernel-stand-alone',
      comment: 'libs/kernel is plain TypeScript under every domain: it imports nothing of ours.',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: '^(libs|apps)/', pathNot: '^libs/kernel/' },
    },
    {
      name: 'domain-is-plain-typescript',
      comment:
        "domain/ is plain TypeScript: it imports only its own context's domain/, libs/kernel, libs/contracts and Node's built-ins. No npm package at all, not even a type from TypeORM or Nest, and no services, adapters or other contexts.",
      severity: 'error',
      from: { path: '^libs/([^/]+)/src/domain/' },
      to: {
        pathNot: ['^libs/$1/src/domain/', '^libs/kernel/', '^libs/contracts/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'libs-never-import-apps',
      comment: 'apps/ are composition roots; libraries must not depend on them.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      comment: 'Circular imports make module initialisation order fragile.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // npm packages stay in the graph as leaves (never followed), so rules can name them.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
