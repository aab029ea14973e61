// Playwright config for the Electron e2e: launches the real app with a temporary --data, one test at a time.
// Where Electron cannot start, the spec skips with the reason detectElectron gives (the same check `npm start` uses).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.electron.spec.ts',
  timeout: 180_000,
  expect: { timeout: 90_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
