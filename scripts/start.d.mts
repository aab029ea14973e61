// Types for start.mjs's exported helpers, so the Electron e2e spec and unit tests can import them from TypeScript.
// Kept beside the script; the script stays plain JavaScript so `npm start` needs no build step.
export type ElectronCheck = { ok: true; bin: string; version: string } | { ok: false; reason: string };
export interface DetectOptions {
  root?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  probe?: (bin: string) => { ok: boolean; detail: string };
}
export function detectElectron(opts?: DetectOptions): ElectronCheck;
export function probeBinary(bin: string): { ok: boolean; detail: string };
export function newestMtime(paths: string[]): number;
export function isStale(output: string, inputs: string[]): boolean;
