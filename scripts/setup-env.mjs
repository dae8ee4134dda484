#!/usr/bin/env node
/**
 * First run: when there is no `.env`, writes one from `.env.example` with fresh random values for
 * every `replace-with-…` secret, so `npm start` runs on a fresh machine. An existing `.env` is
 * never touched. The generated admin password is printed once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const envPath = fileURLToPath(new URL('../.env', import.meta.url));
const examplePath = fileURLToPath(new URL('../.env.example', import.meta.url));

if (!existsSync(envPath)) {
  const generated = [];
  const text = readFileSync(examplePath, 'utf8').replace(
    /^([A-Z0-9_]+)=replace-with-.*$/gm,
    (_line, name) => {
      const value = randomBytes(24).toString('base64url');
      generated.push([name, value]);
      return `${name}=${value}`;
    },
  );
  writeFileSync(envPath, text.replace(/^NODE_ENV=production$/m, 'NODE_ENV=development'), { mode: 0o600 });
  console.log(`created .env with fresh secrets (${generated.map(([name]) => name).join(', ')})`);
  const admin = generated.find(([name]) => name === 'ADMIN_PASSWORD');
  const email = /^ADMIN_EMAIL=(.*)$/m.exec(text)?.[1];
  if (admin) console.log(`first admin: ${email} / ${admin[1]}  (change it; it is also in .env)`);
}
