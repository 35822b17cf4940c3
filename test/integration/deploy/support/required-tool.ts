import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './repository.js';

/** A command-line validator and the Debian package that provides it. */
export interface RequiredTool {
  readonly command: string;
  readonly aptPackage: string;
}

export const KUBECTL: RequiredTool = { command: 'kubectl', aptPackage: 'kubectl' };
export const PROMTOOL: RequiredTool = { command: 'promtool', aptPackage: 'prometheus' };
export const DOCKER_COMPOSE: RequiredTool = {
  command: 'docker-compose',
  aptPackage: 'docker-compose',
};
export const NGINX: RequiredTool = { command: 'nginx', aptPackage: 'nginx' };
/** What the nginx image's entrypoint renders /etc/nginx/templates with. */
export const ENVSUBST: RequiredTool = { command: 'envsubst', aptPackage: 'gettext-base' };

export interface ToolRun {
  readonly status: number;
  readonly stdout: string;
  /** stdout and stderr together, for failure messages. */
  readonly output: string;
}

/**
 * Runs a validator from the repository root. A missing tool is an error, never a skip: a check that
 * silently does not run would let a broken manifest through CI.
 */
export function runTool(
  tool: RequiredTool,
  args: readonly string[],
  { input, env }: { input?: string; env?: NodeJS.ProcessEnv } = {},
): ToolRun {
  const result = spawnSync(tool.command, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    input,
    env,
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `${tool.command} is not installed: install the Debian package "${tool.aptPackage}" ` +
            `(apt-get install -y ${tool.aptPackage}), as .ci/run does`
        : `${tool.command} ${args.join(' ')} failed to run: ${result.error.message}`,
    );
  }
  return {
    status: result.status ?? -1,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}`,
  };
}
