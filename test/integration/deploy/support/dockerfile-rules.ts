import { parseDockerfile, type Instruction } from './dockerfile.js';

/**
 * A subset of hadolint's rules (same ids, so a finding can be looked up in its documentation),
 * for the Dockerfile constructs this repository uses; hadolint itself is not packaged for Debian
 * (docs/adr/0037). Shell-level checks (ShellCheck's SC rules) are limited to the unquoted use of
 * build arguments in RUN.
 */
export interface DockerfileFinding {
  readonly rule: string;
  readonly message: string;
  readonly instruction: string;
}

type Rule = (context: {
  stages: { name: string; from: string; instructions: Instruction[] }[];
  globalArgs: Instruction[];
}) => { rule: string; message: string; instruction: Instruction }[];

const argDefault = (globalArgs: Instruction[], name: string): string | undefined =>
  globalArgs
    .map((instruction) => /^(\w+)=(.*)$/.exec(instruction.args))
    .find((match) => match?.[1] === name)?.[2];

/** The image a FROM names, with a global ARG default substituted (`FROM ${NODE_IMAGE}`). */
const resolvedImage = (from: string, globalArgs: Instruction[]): string =>
  from.replace(/^\$\{(\w+)\}$/, (_, name: string) => argDefault(globalArgs, name) ?? from);

const RULES: Rule[] = [
  // DL3006/DL3007: base images carry an explicit tag that is not `latest`.
  ({ stages, globalArgs }) =>
    stages.flatMap((stage, index) => {
      if (stages.slice(0, index).some((earlier) => earlier.name === stage.from)) return [];
      const image = resolvedImage(stage.from, globalArgs);
      const tag = /:([^/@]+)$/.exec(image)?.[1];
      const instruction = { keyword: 'FROM', args: stage.from };
      if (tag === undefined) {
        return [{ rule: 'DL3006', message: `${image}: tag the image explicitly`, instruction }];
      }
      return tag === 'latest'
        ? [{ rule: 'DL3007', message: `${image}: pin a version, not latest`, instruction }]
        : [];
    }),
  // DL3024: stage names are unique.
  ({ stages }) =>
    stages
      .filter((stage, index) => stages.findIndex((other) => other.name === stage.name) !== index)
      .map((stage) => ({
        rule: 'DL3024',
        message: `stage name ${stage.name} is used twice`,
        instruction: { keyword: 'FROM', args: stage.from },
      })),
  // DL3022/DL3023: COPY --from names an earlier stage, never its own.
  ({ stages }) =>
    stages.flatMap((stage, index) =>
      stage.instructions
        .filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from='))
        .flatMap((instruction) => {
          const source = /^--from=(\S+)/.exec(instruction.args)?.[1] ?? '';
          if (source === stage.name) {
            return [{ rule: 'DL3023', message: 'COPY --from its own stage', instruction }];
          }
          return stages.slice(0, index).some((earlier) => earlier.name === source)
            ? []
            : [{ rule: 'DL3022', message: `COPY --from=${source}: no earlier stage`, instruction }];
        }),
    ),
  // Instruction-level rules.
  ({ stages }) =>
    stages.flatMap((stage) =>
      stage.instructions.flatMap((instruction) => {
        const findings: { rule: string; message: string }[] = [];
        const { keyword, args } = instruction;
        if (keyword === 'ADD') findings.push({ rule: 'DL3020', message: 'use COPY, not ADD' });
        if (keyword === 'MAINTAINER') findings.push({ rule: 'DL4000', message: 'deprecated' });
        if (keyword === 'WORKDIR' && !args.startsWith('/')) {
          findings.push({ rule: 'DL3000', message: 'WORKDIR must be absolute' });
        }
        if ((keyword === 'CMD' || keyword === 'ENTRYPOINT') && !args.startsWith('[')) {
          findings.push({ rule: 'DL3025', message: `${keyword} in JSON form` });
        }
        if (keyword === 'RUN') {
          if (/(^|&&|;|\|)\s*cd\s/.test(args)) {
            findings.push({ rule: 'DL3003', message: 'use WORKDIR, not cd' });
          }
          if (/\bsudo\b/.test(args)) findings.push({ rule: 'DL3004', message: 'no sudo' });
          if (/\bapk add\b/.test(args) && !/\bapk add --no-cache\b/.test(args)) {
            findings.push({ rule: 'DL3019', message: 'apk add --no-cache' });
          }
          if (/\bapk upgrade\b|\bapt-get upgrade\b/.test(args)) {
            findings.push({ rule: 'DL3017', message: 'no upgrade in an image build' });
          }
          if (/\b(curl|wget)\b[^|]*\|\s*(sh|bash)\b/.test(args)) {
            findings.push({ rule: 'DL4001', message: 'no piping a download into a shell' });
          }
          if (/\bnpm install\b/.test(args)) {
            findings.push({ rule: 'DL3016', message: 'npm ci from the lockfile' });
          }
          // SC2086: a build argument expands unquoted.
          const unquoted = args.replace(/"[^"]*"/g, '""').replace(/'[^']*'/g, "''");
          if (/\$\{?[A-Za-z_]+\}?/.test(unquoted)) {
            findings.push({ rule: 'SC2086', message: 'quote variable expansions' });
          }
        }
        return findings.map((finding) => ({ ...finding, instruction }));
      }),
    ),
  // DL4006: a RUN with a pipe follows a SHELL with pipefail in its stage.
  ({ stages }) =>
    stages.flatMap((stage) => {
      let pipefail = false;
      return stage.instructions.flatMap((instruction) => {
        if (instruction.keyword === 'SHELL') pipefail = instruction.args.includes('pipefail');
        return instruction.keyword === 'RUN' && / \| /.test(instruction.args) && !pipefail
          ? [{ rule: 'DL4006', message: 'set -o pipefail (SHELL) before a pipe', instruction }]
          : [];
      });
    }),
  // DL3002: the image does not run as root; DL3057: it has a HEALTHCHECK.
  ({ stages }) => {
    const last = stages[stages.length - 1];
    const users = last.instructions.filter((i) => i.keyword === 'USER');
    const user = users[users.length - 1];
    const findings: { rule: string; message: string; instruction: Instruction }[] = [];
    if (!user || /^(root|0)(:|$)/.test(user.args)) {
      findings.push({
        rule: 'DL3002',
        message: 'the last USER is root',
        instruction: user ?? { keyword: 'FROM', args: last.from },
      });
    }
    if (!last.instructions.some((i) => i.keyword === 'HEALTHCHECK')) {
      findings.push({
        rule: 'DL3057',
        message: 'no HEALTHCHECK',
        instruction: { keyword: 'FROM', args: last.from },
      });
    }
    return findings;
  },
];

export function lintDockerfile(text: string): DockerfileFinding[] {
  const parsed = parseDockerfile(text);
  return RULES.flatMap((rule) => rule(parsed)).map(({ rule, message, instruction }) => ({
    rule,
    message,
    instruction: `${instruction.keyword} ${instruction.args}`,
  }));
}
