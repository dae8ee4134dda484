/**
 * Prisma CLI configuration. Migrations run on Prisma's WebAssembly schema engine through a
 * driver adapter, so no native engine is downloaded (see shared TOOLCHAIN.md). The migration
 * adapter is @prisma/adapter-pg 7 (installed as @prisma/adapter-pg-migrate) because 6.19's cannot
 * read PostgreSQL's `name` type that the migration engine's introspection queries return.
 */
import { PrismaPg } from '@prisma/adapter-pg-migrate';
import { defineConfig } from 'prisma/config';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: run Prisma through scripts/prisma.mjs or set it');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  adapter: async () => new PrismaPg({ connectionString: databaseUrl }),
});
