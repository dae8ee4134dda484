#!/usr/bin/env node
/**
 * `npm run check:sql` (part of `npm test`): fails when a string literal that reads like SQL sits
 * outside the folders that own the database access, so queries do not spread through the code
 * again. Only string and template literals count (comments may mention SQL); keywords in capitals,
 * as the project writes SQL. The generated Prisma client is skipped.
 *
 * Usage: node scripts/check-sql-placement.mjs [--root <directory>]
 *   --root  the tree to check (default: this repository); the tests point it at fixture trees.
 * Exit status: 0 when clean, 1 naming each file and line otherwise, 2 on a usage error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Source trees checked, from the root. */
const CHECKED = ['helpdesk/src', 'wpp-sidecar/src'];

/** Skipped entirely: generated code. */
const SKIPPED = ['helpdesk/src/generated/'];

/**
 * Where SQL may be written: a folder (ending in /) or a file. Only the store, the one layer that
 * talks to PostgreSQL; keep it in step with DATABASE_ACCESS in .dependency-cruiser.cjs and with
 * ARCHITECTURE.md.
 */
const SQL_ALLOWED = ['helpdesk/src/store/'];

/** SQL statements' opening words, in capitals (English prose rarely shouts them). */
const SQL_PATTERN =
  /\b(SELECT|INSERT\s+INTO|UPDATE\s+"?\w+"?\s+SET|DELETE\s+FROM|(CREATE|ALTER|DROP)\s+(TABLE|INDEX|TYPE)|TRUNCATE)\b/;

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Every source file under `directory`, as paths relative to `root` with forward slashes. */
function sourceFiles(root, directory) {
  let entries;
  try {
    entries = readdirSync(join(root, directory), { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((entry) => {
    const path = `${directory}/${entry.name}`;
    if (SKIPPED.some((skipped) => `${path}/`.startsWith(skipped))) return [];
    if (entry.isDirectory()) return sourceFiles(root, path);
    return entry.isFile() && SOURCE_FILE.test(entry.name) ? [path] : [];
  });
}

/** The literals of one file that look like SQL: { line (1-based), text }. */
function sqlLiterals(fileName, source) {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    let text = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    // A template with ${…} parts: joined with a stand-in word so "UPDATE ${table} SET" still reads as SQL.
    else if (ts.isTemplateExpression(node))
      text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' x ');
    if (text !== null && SQL_PATTERN.test(text)) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push({ line: line + 1, text });
    }
    // A template's parts are visited as a whole above, not again one by one.
    if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
    else node.templateSpans.forEach((span) => visit(span.expression));
  };
  visit(file);
  return found;
}

/** Problems as printable lines, one per SQL literal outside SQL_ALLOWED. */
function findMisplacedSql(root) {
  const problems = [];
  for (const path of CHECKED.flatMap((directory) => sourceFiles(root, directory))) {
    if (SQL_ALLOWED.some((allowed) => (allowed.endsWith('/') ? path.startsWith(allowed) : path === allowed)))
      continue;
    for (const { line, text } of sqlLiterals(path, readFileSync(join(root, path), 'utf8'))) {
      const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 60);
      problems.push(`${path}:${line}  "${excerpt}"`);
    }
  }
  return problems;
}

const args = process.argv.slice(2);
let root = fileURLToPath(new URL('..', import.meta.url));
if (args[0] === '--root' && args[1] && args.length === 2) root = args[1];
else if (args.length > 0) {
  console.error('usage: node scripts/check-sql-placement.mjs [--root <directory>]');
  process.exit(2);
}
const problems = findMisplacedSql(root.endsWith(sep) ? root.slice(0, -1) : root);
if (problems.length > 0) {
  console.error(`sql-placement: SQL outside ${SQL_ALLOWED.join(', ')}:`);
  for (const problem of problems) console.error(`  ${problem}`);
  console.error('Move the query into a module of those folders (see ARCHITECTURE.md).');
  process.exit(1);
}
console.log(`sql-placement: no SQL outside ${SQL_ALLOWED.join(', ')}.`);
