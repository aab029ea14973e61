// Builds the renderer into dist/renderer with relative URLs, so Electron's engram:// scheme and the loopback host both serve it.
// Also enforces the web side's boundary: anything under electron/ that survives to the bundle is a value import, and fails the build.
import react from '@vitejs/plugin-react';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const electronDir = resolve(here, '../electron') + sep;

/** Type-only imports are erased before resolution, so any import that reaches electron/ would ship Node code. */
function contractTypesOnly(): Plugin {
  return {
    name: 'engram:contract-types-only',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || importer.includes('node_modules')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved && resolve(resolved.id).startsWith(electronDir)) {
        this.error(`${importer} imports ${source}: the renderer may only \`import type\` from electron/contract.`);
      }
      return resolved;
    },
  };
}

/** The dev server injects inline scripts (React refresh) that the strict CSP forbids; the built app keeps it. */
function devDropsCsp(): Plugin {
  return {
    name: 'engram:dev-drops-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
  };
}

/** `crossorigin` on module scripts trips custom schemes and file:// loads; same-origin files do not need it. */
function noCrossorigin(): Plugin {
  return {
    name: 'engram:no-crossorigin',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: (html) => html.replace(/\s+crossorigin(="[^"]*")?/g, '') },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [contractTypesOnly(), react(), devDropsCsp(), noCrossorigin()],
  build: {
    outDir: resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Thumbnails and icons stay files; nothing is inlined as a data: script.
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
