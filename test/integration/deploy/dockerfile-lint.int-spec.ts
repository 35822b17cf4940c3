import { lintDockerfile } from './support/dockerfile-rules.js';
import { readRepoFile } from './support/repository.js';

// hadolint is not packaged for Debian; this is the documented stand-in (docs/adr/0037): a subset
// of its rules, under their ids, for the constructs our Dockerfile uses.

const GOOD = [
  'ARG NODE_IMAGE=node:24-alpine',
  'FROM ${NODE_IMAGE} AS base',
  'WORKDIR /app',
  'FROM base AS runtime',
  'RUN apk add --no-cache tini',
  'USER 1000:1000',
  'HEALTHCHECK CMD ["node", "-e", "0"]',
  'CMD ["node", "main.mjs"]',
];

/** GOOD with one line replaced (or added after `after`). */
const variant = (replace: string, by: string): string =>
  GOOD.map((line) => (line === replace ? by : line)).join('\n');

describe('Dockerfile lint (hadolint rules)', () => {
  it('finds nothing in docker/Dockerfile', () => {
    expect(lintDockerfile(readRepoFile('docker/Dockerfile'))).toEqual([]);
  });

  it('finds nothing in a minimal good file', () => {
    expect(lintDockerfile(GOOD.join('\n'))).toEqual([]);
  });

  it.each([
    ['DL3006', variant('ARG NODE_IMAGE=node:24-alpine', 'ARG NODE_IMAGE=node')],
    ['DL3007', variant('ARG NODE_IMAGE=node:24-alpine', 'ARG NODE_IMAGE=node:latest')],
    ['DL3019', variant('RUN apk add --no-cache tini', 'RUN apk add tini')],
    ['DL3017', variant('RUN apk add --no-cache tini', 'RUN apk upgrade')],
    ['DL3003', variant('RUN apk add --no-cache tini', 'RUN cd /tmp && ls')],
    ['DL3004', variant('RUN apk add --no-cache tini', 'RUN sudo ls')],
    ['DL3016', variant('RUN apk add --no-cache tini', 'RUN npm install')],
    ['DL4001', variant('RUN apk add --no-cache tini', 'RUN wget -O - http://x | sh')],
    ['DL4006', variant('RUN apk add --no-cache tini', 'RUN ls | wc -l')],
    ['SC2086', variant('RUN apk add --no-cache tini', 'RUN test -f dist/${APP}/main.mjs')],
    ['DL3020', variant('WORKDIR /app', 'WORKDIR /app\nADD main.mjs ./')],
    ['DL3000', variant('WORKDIR /app', 'WORKDIR app')],
    ['DL3025', variant('CMD ["node", "main.mjs"]', 'CMD node main.mjs')],
    ['DL3002', variant('USER 1000:1000', 'USER root')],
    ['DL3057', variant('HEALTHCHECK CMD ["node", "-e", "0"]', '')],
    ['DL3022', variant('WORKDIR /app', 'WORKDIR /app\nCOPY --from=builder /a /a')],
    ['DL3024', variant('FROM base AS runtime', 'FROM base AS base')],
  ])('reports %s', (rule, text) => {
    expect(lintDockerfile(text).map((finding) => finding.rule)).toContain(rule);
  });

  it('accepts a pipe once SHELL sets pipefail, and quoted build arguments', () => {
    const text = variant(
      'RUN apk add --no-cache tini',
      'SHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN ls | wc -l\nRUN test -f "dist/${APP}/main.mjs"',
    );
    expect(lintDockerfile(text)).toEqual([]);
  });
});
