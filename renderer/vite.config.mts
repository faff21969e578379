// Builds the renderer into renderer/dist. The same bundle is served by browser mode over
// HTTP and loaded by Electron from a custom protocol, so every URL in it must be relative.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  // No public/ folder: everything the page needs is imported, so vite fingerprints it.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small app: a single chunk keeps file:// and custom-protocol loading simple.
    modulePreload: false,
  },
  // Vite's dev server is not used by the studio (browser mode serves the built files),
  // but when someone runs it, forward the API to a running `studio serve`.
  server: {
    proxy: process.env.STUDIO_SERVER
      ? {
          '/api/events': { target: process.env.STUDIO_SERVER.replace(/^http/, 'ws'), ws: true },
          '/api': process.env.STUDIO_SERVER,
          '/images': process.env.STUDIO_SERVER,
        }
      : {},
  },
});
