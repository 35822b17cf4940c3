import { jest } from '@jest/globals';

// setupFilesAfterEnv entry of the `e2e-split` jest project: a hook that starts the split stack
// boots five apps and a gateway, which on a busy 2-core machine takes well beyond one app's budget.
jest.setTimeout(180_000);
