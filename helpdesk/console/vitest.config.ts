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
    // One happy-dom and one module graph per worker, not per file: 7 s instead of 36 (setting up
    // the environment and importing React again for each of 24 files was four fifths of it). The
    // files undo what they change (unstubAllGlobals, restoreAllMocks, unmounting) and pass in any
    // order (`--sequence.shuffle`).
    isolate: false,
    include: ['src/**/*.test.tsx'],
  },
});
