/**
 * Which deployment the e2e suite runs against: the monolith, or the five apps behind the gateway.
 * Jest shares worker processes between projects, so the mode cannot live in process.env: the
 * `e2e-split` project's setup file (split-mode.setup.ts) marks the test file's own global object.
 */
export type E2eMode = 'monolith' | 'split';

const MODE_KEY = Symbol.for('commerce.e2e-mode');

type ModeHolder = { [MODE_KEY]?: E2eMode };

export const setE2eMode = (mode: E2eMode): void => {
  (globalThis as ModeHolder)[MODE_KEY] = mode;
};

export const e2eMode = (): E2eMode => (globalThis as ModeHolder)[MODE_KEY] ?? 'monolith';
