import { existsSync, readdirSync } from 'node:fs';
import { readRepoFile, repoPath } from './support/repository.js';

interface NestProject {
  readonly type: 'application' | 'library';
  readonly root: string;
  readonly sourceRoot: string;
  readonly entryFile: string;
}

const projects = (
  JSON.parse(readRepoFile('nest-cli.json')) as { projects: Record<string, NestProject> }
).projects;

const folders = (parent: string): string[] =>
  readdirSync(repoPath(parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

// An app and a library may share a name (the orders app, the orders context), so libraries carry
// a `-lib` suffix; apps keep the bare name `nest start <app>` takes.
const expected = (): Record<string, NestProject> =>
  Object.fromEntries([
    ...folders('apps').map((name): [string, NestProject] => [
      name,
      {
        type: 'application',
        root: `apps/${name}`,
        sourceRoot: `apps/${name}/src`,
        entryFile: 'main',
      },
    ]),
    ...folders('libs').map((name): [string, NestProject] => [
      `${name}-lib`,
      { type: 'library', root: `libs/${name}`, sourceRoot: `libs/${name}/src`, entryFile: 'index' },
    ]),
  ]);

describe('nest-cli.json', () => {
  it('lists exactly the apps in apps/ and the libraries in libs/', () => {
    expect(projects).toEqual(expected());
  });

  it("names each project's entry file as it exists", () => {
    const missing = Object.values(projects)
      .map((project) => `${project.sourceRoot}/${project.entryFile}.ts`)
      .filter((entry) => !existsSync(repoPath(entry)));
    expect(missing).toEqual([]);
  });
});
