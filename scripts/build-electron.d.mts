// Types for build-electron.mjs, so tests can build the shell bundles from TypeScript.
export const EXTERNALS: string[];
export function buildElectron(opts?: { outdir?: string }): Promise<void>;
