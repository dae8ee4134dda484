/**
 * Builds the agent console (React + TypeScript) into helpdesk/public/, which the helpdesk serves
 * at `/`. `npm run build:console -w helpdesk` runs it; `vite --config console/vite.config.ts` serves
 * it for development with /api proxied to a helpdesk on port 8000.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../public', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
});
