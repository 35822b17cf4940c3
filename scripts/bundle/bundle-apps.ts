import { build, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../split-stack/split-stack.js';
import { asciiSource } from './ascii-source.js';

/**
 * `npm run bundle`: each app's compiled entry points (dist/apps/<app>/src/*.js, from `npm run
 * build`, so Nest's decorator metadata is already emitted by tsc) become single-file ES modules
 * in dist/bundle/<app>/, with a list of the few packages left outside the bundle. The image runs
 * these (docker/Dockerfile); see docs/adr/0036-app-bundles.md.
 */

// Works from the sources (tests) and from dist/scripts (npm run bundle, the image build) alike.
const ROOT = REPO_ROOT;
const NODE_MODULES = join(ROOT, 'node_modules');

export const BUNDLED_APPS = [
  'monolith',
  'identity',
  'catalog',
  'orders',
  'payments',
  'notifications',
] as const;
export type BundledApp = (typeof BUNDLED_APPS)[number];

/** Entry points bundled when the app has them: the server, its migration, the operator tools. */
const ENTRY_POINTS = ['main', 'migrate', 'lambda', 'create-admin', 'dead-letters'];

/**
 * Loaded from node_modules at run time rather than bundled: argon2 has a native addon; pg,
 * ioredis (and the http modules, built in) are patched by OpenTelemetry's instrumentation as they
 * are required (libs/observability/src/tracing.ts), which a bundled copy would escape; pino starts
 * worker threads by file name for its transports; Nest's RMQ transport requires amqplib and
 * amqp-connection-manager through createRequire, which a bundler cannot follow.
 */
export const RUNTIME_PACKAGES = [
  'argon2',
  'pg',
  'ioredis',
  'pino',
  'pino-pretty',
  'amqplib',
  'amqp-connection-manager',
];

/** CommonJS dependencies call require(); an ES module bundle gives them one. */
const REQUIRE_SHIM =
  "import { createRequire as __bundleCreateRequire } from 'node:module';\n" +
  'const require = __bundleCreateRequire(import.meta.url);';

const packageName = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Whether `name` is installed where Node would look for it from `directory`. */
function installedFrom(directory: string, name: string): boolean {
  for (let current = directory; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules', name, 'package.json'))) return true;
    if (dirname(current) === current) return false;
  }
}

/**
 * Optional integrations that are not installed (Nest's Kafka, gRPC, MQTT, NATS and websocket
 * transports, TypeORM's other drivers, ...) stay unresolved imports: the libraries load them
 * lazily inside a try and report them missing only if used, exactly as without a bundle.
 */
const missingPackagesStayExternal: Plugin = {
  name: 'missing-packages-stay-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./#]/ }, ({ path, resolveDir }) => {
      if (path.startsWith('node:')) return undefined;
      const name = packageName(path);
      if (RUNTIME_PACKAGES.includes(name)) return { path, external: true };
      return installedFrom(resolveDir, name) ? undefined : { path, external: true };
    });
  },
};

/** The packages and their production dependencies that must sit beside the bundle. */
export function runtimeDependencyClosure(roots: readonly string[] = RUNTIME_PACKAGES): string[] {
  const found = new Set<string>();
  const visit = (name: string): void => {
    if (found.has(name)) return;
    const manifestPath = join(NODE_MODULES, name, 'package.json');
    if (!existsSync(manifestPath)) return;
    found.add(name);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
    })) {
      visit(dependency);
    }
  };
  // pino-pretty is a development logger; production images never load it.
  for (const root of roots) if (root !== 'pino-pretty') visit(root);
  return [...found].sort();
}

/**
 * Bundles `app` into `<outputRoot>/<app>/`: each of `entries` it has as `<entry>.mjs`, and
 * runtime-packages.txt (what must be copied from node_modules beside it). Returns that folder.
 */
export async function bundleApp(
  app: BundledApp,
  outputRoot = join(ROOT, 'dist/bundle'),
  entries: readonly string[] = ENTRY_POINTS,
): Promise<string> {
  const sourceDirectory = join(ROOT, 'dist/apps', app, 'src');
  if (!existsSync(join(sourceDirectory, 'main.js'))) {
    throw new Error(`${sourceDirectory}/main.js is missing: run \`npm run build\` first`);
  }
  const outputDirectory = join(outputRoot, app);
  rmSync(outputDirectory, { recursive: true, force: true });
  mkdirSync(outputDirectory, { recursive: true });
  const entryPoints = entries
    .map((name) => join(sourceDirectory, `${name}.js`))
    .filter((file) => existsSync(file));
  for (const entry of entryPoints) {
    const outfile = join(
      outputDirectory,
      entry.slice(sourceDirectory.length + 1).replace(/\.js$/, '.mjs'),
    );
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      // Nest resolves providers by class name in error messages and TypeORM names migrations by
      // class: keep names, minify the rest of the whitespace only.
      keepNames: true,
      minifyWhitespace: true,
      legalComments: 'linked',
      banner: { js: REQUIRE_SHIM },
      plugins: [missingPackagesStayExternal],
      logLevel: 'error',
    });
    // One-byte in V8's memory rather than two (ascii-source.ts).
    writeFileSync(outfile, asciiSource(readFileSync(outfile, 'utf8')));
  }
  writeFileSync(
    join(outputDirectory, 'runtime-packages.txt'),
    `${runtimeDependencyClosure().join('\n')}\n`,
  );
  return outputDirectory;
}

const bytes = (file: string): number => statSync(file).size;

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const apps = requested.length === 0 ? BUNDLED_APPS : requested;
  for (const app of apps) {
    if (!(BUNDLED_APPS as readonly string[]).includes(app)) {
      throw new Error(`unknown app "${app}"; one of ${BUNDLED_APPS.join(', ')}`);
    }
    const directory = await bundleApp(app as BundledApp);
    const main = join(directory, 'main.mjs');
    console.log(`${app}: ${(bytes(main) / 1024 / 1024).toFixed(1)} MiB ${resolve(main)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
