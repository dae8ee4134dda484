// Import rules of both services, checked by `npm run check:imports` (part of `npm test`).
// ARCHITECTURE.md explains the layers; helpdesk/test/unit/import-rules.test.ts shows each rule
// failing on a deliberately bad import. The allow-lists below are the target layering of issue 13
// (SQL and Prisma only in helpdesk/src/store/, HTTP only in http/): they should never grow.
const path = require('node:path');

// A package by its resolved path (…/node_modules/<name>/…, or the bare name when it cannot be
// resolved), its @types/ twin included, so `import type` counts as much as a value import.
const npmPackage = (names) => `(^|/)node_modules/(@types/)?(${names})(/|$)|^(${names})(/|$)`;

/**
 * What the pure domain may import: itself, the contract's vocabulary (pure: zod only, see the
 * `contract-is-pure` rule) and two pure packages.
 */
const DOMAIN_MAY_IMPORT = [
  '^helpdesk/src/domain/',
  '^contract/src/',
  npmPackage('@whatsapp-helpdesk/contract|zod|libphonenumber-js'),
];

/** Folders and files (paths from the repository root) that may talk to PostgreSQL directly. */
const DATABASE_ACCESS = [
  '^helpdesk/src/store/',
  // Prisma's generated client is itself a database module.
  '^helpdesk/src/generated/',
];

/** The only places that may know the HTTP framework. */
const HTTP_LAYER = [
  '^helpdesk/src/http/',
  '^helpdesk/src/main\\.ts$',
  '^wpp-sidecar/src/http/',
  '^wpp-sidecar/src/main\\.ts$',
];

/** PostgreSQL drivers and Prisma (client, adapters, engines, the CLI). */
const DATABASE_PACKAGES = npmPackage('pg|pg-[^/]+|prisma|@prisma/[^/]+|\\.prisma');

/** HTTP server frameworks and their middleware: Fastify's and Express's. */
const HTTP_FRAMEWORK_PACKAGES = npmPackage(
  [
    'fastify',
    'fastify-[^/]+',
    '@fastify/[^/]+',
    'express',
    'express-[^/]+',
    'express-serve-static-core',
    'body-parser',
    'cookie-parser',
    'cors',
    'helmet',
    'multer',
    'pino-http',
    'rate-limit-redis',
    'serve-static',
    'swagger-ui-express',
    '@scalar/express-api-reference',
  ].join('|'),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other at run time: move what both need into a module of its own.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      severity: 'error',
      comment:
        'Modules import each other, `import type` included: move the shared type beside what it describes.',
      from: {},
      to: { circular: true, via: { dependencyTypes: ['type-only'] } },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'helpdesk/src/domain holds pure rules: it imports only domain modules and zod/libphonenumber-js.',
      from: { path: '^helpdesk/src/domain/' },
      to: { pathNot: DOMAIN_MAY_IMPORT },
    },
    {
      name: 'database-only-in-data-access',
      severity: 'error',
      comment: `Only these import pg or Prisma: ${DATABASE_ACCESS.join(' ')}`,
      from: { pathNot: DATABASE_ACCESS },
      to: { path: [DATABASE_PACKAGES, '^helpdesk/src/generated/'] },
    },
    {
      name: 'http-framework-only-in-http',
      severity: 'error',
      comment: `Only these import the HTTP framework or its middleware: ${HTTP_LAYER.join(' ')}`,
      from: { pathNot: HTTP_LAYER },
      to: { path: HTTP_FRAMEWORK_PACKAGES },
    },
    {
      name: 'sidecar-events-are-pure',
      severity: 'error',
      comment:
        'wpp-sidecar/src/events turns WhatsApp Web objects into webhook events: it imports nothing else of the ' +
        'sidecar (http, outbox, session, …) nor of the helpdesk; the event schemas come from contract/.',
      from: { path: '^wpp-sidecar/src/events/' },
      to: { path: '^(wpp-sidecar|helpdesk)/', pathNot: '^wpp-sidecar/src/events/' },
    },
    {
      name: 'contract-is-pure',
      severity: 'error',
      comment:
        'contract/ is shared by both services and the console: it imports only contract/, zod and ical.js (a pure ' +
        'vCard parser, for shared contacts), never a service.',
      from: { path: '^contract/src/' },
      to: { pathNot: ['^contract/src/', npmPackage('zod|ical\\.js')] },
    },
  ],
  options: {
    // The generated Prisma client is checked as a target, not crawled.
    doNotFollow: { path: ['node_modules', '^helpdesk/src/generated/'] },
    // `import type` is a dependency too: a type from the HTTP layer in the domain is still coupling.
    tsPreCompilationDeps: true,
    // Absolute, so the same file also checks fixture trees run from another directory (the tests).
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
