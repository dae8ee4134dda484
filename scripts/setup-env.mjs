#!/usr/bin/env node
/**
 * First run: when there is no `.env`, writes one from `.env.example` with fresh random values for
 * every `replace-with-…` secret, so `npm start` runs on a fresh machine. The generated admin password
 * is printed once. In an existing `.env` only a secret added to `.env.example` since it was made
 * (METRICS_TOKEN, CHANNEL_SECRETS_KEY) is filled in with a fresh value when it is missing or empty; nothing else changes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const envPath = fileURLToPath(new URL('../.env', import.meta.url));
const examplePath = fileURLToPath(new URL('../.env.example', import.meta.url));

/** Secrets an older `.env` may lack; ADMIN_PASSWORD and the like are never added afterwards. */
const ADDED_LATER = ['METRICS_TOKEN', 'CHANNEL_SECRETS_KEY'];

const freshSecret = () => randomBytes(24).toString('base64url');

if (!existsSync(envPath)) {
  const generated = [];
  const text = readFileSync(examplePath, 'utf8').replace(
    /^([A-Z0-9_]+)=replace-with-.*$/gm,
    (_line, name) => {
      const value = freshSecret();
      generated.push([name, value]);
      return `${name}=${value}`;
    },
  );
  writeFileSync(envPath, text.replace(/^NODE_ENV=production$/m, 'NODE_ENV=development'), { mode: 0o600 });
  console.log(`created .env with fresh secrets (${generated.map(([name]) => name).join(', ')})`);
  const admin = generated.find(([name]) => name === 'ADMIN_PASSWORD');
  const email = /^ADMIN_EMAIL=(.*)$/m.exec(text)?.[1];
  if (admin) {
    console.log(
      `first admin: ${email} / ${admin[1]}  (it is also in .env; change it in the console, with ` +
        `POST /api/auth/password, or: npm run helpdesk:cli -- agents:password ${email})`,
    );
  }
} else {
  // A secret added later (or left empty, as .env.example once had METRICS_TOKEN) gets a fresh value;
  // every other line stays as the operator wrote it.
  const current = readFileSync(envPath, 'utf8');
  let updated = current;
  const added = [];
  for (const name of ADDED_LATER) {
    if (new RegExp(`^${name}=\\S`, 'm').test(updated)) continue;
    const line = `${name}=${freshSecret()}`;
    const empty = new RegExp(`^${name}=[ \\t]*$`, 'm');
    updated = empty.test(updated)
      ? updated.replace(empty, line)
      : `${updated}${updated.endsWith('\n') || updated === '' ? '' : '\n'}${line}\n`;
    added.push(name);
  }
  if (added.length > 0) {
    writeFileSync(envPath, updated, { mode: 0o600 });
    console.log(`set in .env: ${added.join(', ')} (fresh random values)`);
  }
}
