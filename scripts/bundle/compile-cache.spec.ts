import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillCompileCache } from './compile-cache.js';

// Stand-ins for a bundle: tiny modules that behave as the app does, or does not, with the
// refused HTTP_PORT. Node really compiles and caches them.
const REFUSES = `console.error('  - HTTP_PORT must be an integer number (got "' + process.env.HTTP_PORT + '")');
process.exit(1);`;

describe('fillCompileCache', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'compile-cache-spec-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  const entry = (source: string): string => {
    const file = join(folder, 'main.mjs');
    writeFileSync(file, source);
    return file;
  };

  it('fills the cache from an app that refuses the port, readable by every user', () => {
    const filled = fillCompileCache(entry(REFUSES), join(folder, 'cache'));

    expect(filled.entries).toBeGreaterThan(0);
    const files = readdirSync(filled.directory, { recursive: true, withFileTypes: true });
    const modes = new Set(
      files.map((file) => statSync(join(file.parentPath, file.name)).mode & 0o777),
    );
    expect([...modes].sort()).toEqual([0o644, 0o755]);
  });

  it('gives the app nothing of the caller environment but the refused port', () => {
    const leaks = `if (process.env.DATABASE_URL !== undefined) process.exit(2);\n${REFUSES}`;
    process.env.DATABASE_URL = 'postgres://caller/own';
    try {
      expect(fillCompileCache(entry(leaks), join(folder, 'cache')).entries).toBeGreaterThan(0);
    } finally {
      delete process.env.DATABASE_URL;
    }
  });

  it.each([
    ['starts instead of refusing', 'process.exit(0);', /did not refuse HTTP_PORT.*exit 0/s],
    ['fails for another reason', 'throw new Error("boom");', /did not refuse[\s\S]*boom/],
  ])('fails the build when the app %s', (_case, source, message) => {
    expect(() => fillCompileCache(entry(source), join(folder, 'cache'))).toThrow(message);
  });
});
