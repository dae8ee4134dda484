/**
 * `node ../scripts/bundle-tests.mjs <test files…>` (run in a workspace): bundles each test file with
 * the workspace code it imports into `dist/tests/` (`<path>.mjs`, shared code in chunks), so that
 * `node --test dist/tests/…` runs the tests as plain JavaScript.
 *
 * Why: loaded through tsx, every test file spent about 2 s of CPU importing (Node 20 runs module
 * hooks on a separate thread and messages it for every module, node_modules included), over
 * 150 files a quarter of `npm test`. esbuild transpiles the same TypeScript the same way tsx does
 * (tsx uses esbuild); npm packages stay imports, resolved by Node as in production. The workspace
 * packages (`@whatsapp-helpdesk/*`, TypeScript sources) are bundled.
 *
 * Each module's `import.meta.url` (and `filename`, `dirname`) is its source file's, so paths computed from it
 * (migrations, the console's build, scripts, fixtures) stay those of the source tree. Source maps
 * are written beside the bundles: run them with `--enable-source-maps` for stack traces into the
 * TypeScript.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const entryPoints = process.argv.slice(2);
if (entryPoints.length === 0) {
  console.error('usage: node ../scripts/bundle-tests.mjs <test files…> (from a workspace folder)');
  process.exit(2);
}
const outdir = resolve('dist/tests');
await rm(outdir, { recursive: true, force: true });

/** npm packages stay imports; the workspace's own packages are TypeScript and are bundled. */
const externalPackages = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@whatsapp-helpdesk/') ? undefined : { external: true },
    );
  },
};

/** `import.meta.url`, `.filename` and `.dirname` are the source file's, wherever the bundle lands. */
const sourceLocation = {
  name: 'source-location',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta')) return { contents: source, loader: 'ts' };
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.filename', JSON.stringify(args.path))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      return { contents, loader: 'ts' };
    });
  },
};

await build({
  entryPoints,
  outdir,
  outbase: '.',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  keepNames: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  // Bundled CommonJS-style code (e.g. the generated Prisma client) may call require.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  plugins: [externalPackages, sourceLocation],
});
