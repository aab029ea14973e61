// Entry of the page worker when the engine runs from TypeScript sources (CLI, tests, the loopback host):
// registers tsx, then loads the worker. Electron's bundle forks its compiled worker instead.
import { register } from 'tsx/esm/api';

register();
await import('./pageWorker.ts');
