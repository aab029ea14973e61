#!/usr/bin/env node
// The `engram` command's entry: loads the TypeScript CLI through tsx, so `npx engram` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
