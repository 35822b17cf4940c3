import { setE2eMode } from './e2e-mode.js';

// setupFiles entry of the `e2e-split` jest project: startApp() starts the split stack.
setE2eMode('split');
