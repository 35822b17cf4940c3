// Jest runs in native ESM mode (node --experimental-vm-modules). Four projects: unit (beside the
// code), integration (real Postgres/Redis/RabbitMQ), e2e (the booted monolith over real HTTP) and
// e2e-split (the same e2e files against the five apps behind the NGINX gateway, over RabbitMQ).
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#lib/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/test/support/setup-reflect.ts'],
};

export default {
  // e2e tests boot real processes; the budget covers a cold start on a busy 2-core machine (up to
  // 60 s for readiness, test/support/app-process.ts) plus the first calls of a beforeAll hook.
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      // scripts/: the contract generator and its breaking-change gate (docs/contracts).
      testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/split-'],
    },
    // The fault suites (issue 9, 1-9) against the split stack, each on services of its own where
    // it takes one down; FULL_SUITES=1 (npm run test:reliability) runs the full sizes.
    {
      ...common,
      displayName: 'reliability',
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/split-mode.setup.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/split-mode.timeout.ts'],
      testMatch: ['<rootDir>/test/reliability/**/*.reliability-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e-split',
      // Marks each test file's global object: startApp() then starts the split stack.
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/split-mode.setup.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/split-mode.timeout.ts'],
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        // One process by design: the Lambda handler, start-up refusals and SIGTERM draining of a
        // single app, its own /metrics, /health/backlog and /docs, and log lines of one process.
        // The gateway publishes none of these (probes and Prometheus reach each app directly).
        '<rootDir>/test/e2e/lambda\\.',
        // The image's entry command on each app's bundle, one process at a time.
        '<rootDir>/test/e2e/image-entry\\.',
        // The benchmark harness starts its own monolith and reference servers (npm run bench).
        '<rootDir>/test/e2e/bench-harness\\.',
        '<rootDir>/test/e2e/lifecycle\\.',
        '<rootDir>/test/e2e/observability\\.',
        '<rootDir>/test/e2e/messaging-backlog\\.',
        '<rootDir>/test/e2e/http-platform\\.',
        '<rootDir>/test/e2e/openapi-exposure\\.',
        // Drives the monolith's document, probes included, which the gateway does not publish.
        '<rootDir>/test/e2e/openapi-contract\\.',
        '<rootDir>/test/e2e/health-probes\\.',
        // One process with a one-connection pool on a database of its own, and its log lines.
        '<rootDir>/test/e2e/slow-database\\.',
        // Two replicas of one process sharing a SERVICE_NAME, and probes through the base URL.
        '<rootDir>/test/e2e/throttling\\.',
        // Clients told apart by X-Forwarded-For: the gateway sets it from the connection, so every
        // test request comes from the one address 127.0.0.1 (as it must, see docker/nginx/).
        '<rootDir>/test/e2e/login-limits\\.',
      ],
    },
    // The security suites (issue 9, 10-14) against the monolith, then the split stack.
    {
      ...common,
      displayName: 'security',
      testMatch: ['<rootDir>/test/security/**/*.security-spec.ts'],
    },
    {
      ...common,
      displayName: 'security-split',
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/split-mode.setup.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/split-mode.timeout.ts'],
      testMatch: ['<rootDir>/test/security/**/*.security-spec.ts'],
    },
  ],
};
