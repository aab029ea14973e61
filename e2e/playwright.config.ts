// Browser e2e: Debian's Chromium against the loopback host (electron/host/main.ts), one fresh data folder per test.
// The host fixture builds the renderer when dist/renderer is missing or older than renderer/; no browser download ever.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './specs',
  testMatch: '*.spec.ts',
  timeout: 240_000,
  expect: { timeout: 90_000 },
  // Two cores: the host's encoder and the browser already share them.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  outputDir: '../test-results/browser',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
