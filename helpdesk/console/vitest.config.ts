/**
 * Component tests of the console (`*.test.tsx` beside the components) in Vitest with happy-dom:
 * `npx vitest run --config console/vitest.config.ts` from helpdesk/. Whole-page behaviour is
 * tested in real Chromium (test/browser/).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.tsx'],
  },
});
