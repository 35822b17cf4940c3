/** Import rules of ARCHITECTURE.md. A violation fails CI with the rule's comment as the reason. */
const CONTEXTS = '(identity|catalog|orders|payments|notifications)';
const PLATFORM =
  '(config|database|redis|observability|health|guards|platform|resilience|messaging)';

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
      comment: 'Platform libraries serve every context, so they may not depend on any context.',
      severity: 'error',
      from: { path: `^libs/${PLATFORM}/` },
      to: { path: `^libs/${CONTEXTS}/` },
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
        'domain/ holds plain TypeScript: no Nest, no TypeORM, no adapters. Only the kernel, contracts and its own domain.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/' },
      to: {
        pathNot: ['^libs/([^/]+)/src/domain/', '^libs/kernel/', '^libs/contracts/'],
        dependencyTypesNot: ['type-only', 'core'],
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
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|node_modules)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
