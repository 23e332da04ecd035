import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser app. Vite 8 transforms with Oxc: JSX compiles to Preact's automatic runtime,
 * so no framework plugin is needed. `npm run build:web` writes services/web/dist, which the
 * API serves at `/`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The repository's vitest config must not leak in, and the app has no public/ folder.
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Leaflet and Stripe.js load only when used; keep the phone's first load small.
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npx vite services/web` for development: the API on :4000 answers GraphQL.
    proxy: { '/graphql': 'http://127.0.0.1:4000', '/config.json': 'http://127.0.0.1:4000' },
  },
});
