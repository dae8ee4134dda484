/**
 * The deployment files, checked statically (no Docker engine runs here): docker-compose.yml's
 * services, volumes, healthchecks, dependencies and ports; that every command a container runs is
 * a script of the package.json it names; that every environment variable compose sets, and every
 * one in .env.example, is known to a configuration schema (and every schema variable documented);
 * that each service gets only the variables it needs (no env_file), the API published on loopback,
 * Redis fsyncing every write; and that each Dockerfile is multi-stage, non-root, health-checked,
 * and the sidecar's uses Debian's Chromium without a browser download.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CONFIG_VARIABLES as SIDECAR_VARIABLES } from '../../../wpp-sidecar/src/config';
import { CONFIG_VARIABLES as HELPDESK_VARIABLES, loadConfig } from '../../src/config';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Variables read by compose itself or by the postgres image only, not by our services. */
const COMPOSE_ONLY_VARIABLES = ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'API_PUBLISH_ADDRESS'];

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  env_file?: unknown;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  shm_size?: string;
  container_name?: string;
  init?: boolean;
  logging?: { driver?: string; options?: Record<string, string> };
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  assert.ok(found, `docker-compose.yml has no service ${name}`);
  return found;
};
const environment = (name: string): string[] => Object.keys(service(name).environment ?? {});

/** A Dockerfile's stages, each a list of [INSTRUCTION, arguments] with continuations joined. */
function dockerfileStages(path: string): Array<Array<[string, string]>> {
  const lines = read(path)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Array<Array<[string, string]>> = [];
  for (const line of lines) {
    const [, instruction = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (instruction.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)?.push([instruction.toUpperCase(), rest]);
  }
  return stages;
}

/** The JSON-array (exec form) arguments of the last `instruction` of a stage. */
function execForm(stage: Array<[string, string]>, instruction: string): string[] | null {
  const found = stage.filter(([name]) => name === instruction).at(-1);
  return found ? (JSON.parse(found[1]) as string[]) : null;
}

/** The Dockerfile building a service (directly, or the image another service builds). */
function dockerfileOf(name: string): string | null {
  const own = service(name);
  if (own.build) return own.build.dockerfile;
  const builder = Object.values(services).find((other) => other.build && other.image === own.image);
  return builder?.build?.dockerfile ?? null;
}

const helpdeskServices = Object.keys(services).filter((name) => dockerfileOf(name) === 'helpdesk/Dockerfile');
const sidecarServices = Object.keys(services).filter(
  (name) => dockerfileOf(name) === 'wpp-sidecar/Dockerfile',
);

/** `npm run <script> [-w <workspace>]`, `npm start|test [-w <workspace>]`: the package.json and script. */
function npmScript(command: string[]): { packageJson: string; script: string } {
  assert.equal(command[0], 'npm', `"${command.join(' ')}" runs through npm`);
  const args = command.slice(1);
  let workspace: string | null = null;
  const positional: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '-w' || arg === '--workspace') workspace = args[++index] ?? null;
    else if (arg.startsWith('--workspace=')) workspace = arg.slice('--workspace='.length);
    else if (!arg.startsWith('-')) positional.push(arg);
  }
  const [verb, script] = positional;
  const name = verb === 'run' || verb === 'run-script' ? script : verb;
  assert.ok(
    name && ['run', 'run-script', 'start', 'test'].includes(verb!),
    `npm command: ${command.join(' ')}`,
  );
  return { packageJson: workspace ? `${workspace}/package.json` : 'package.json', script: name };
}

/** .env.example's variables (lines `NAME=value`). */
const envExample = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);

describe('docker-compose.yml', () => {
  it('has the services of a production deployment', () => {
    for (const name of ['postgres', 'redis', 'migrate', 'helpdesk-api', 'helpdesk-worker', 'wpp-sidecar']) {
      service(name);
    }
    assert.deepEqual(helpdeskServices.sort(), ['helpdesk-api', 'helpdesk-worker', 'migrate']);
    assert.deepEqual(sidecarServices, ['wpp-sidecar']);
  });

  it('keeps postgres and redis data in named volumes, with healthchecks', () => {
    for (const name of ['postgres', 'redis']) {
      const { volumes = [], healthcheck } = service(name);
      assert.ok(volumes.length > 0, `${name} has a volume`);
      for (const volume of volumes) {
        const source = volume.split(':')[0]!;
        assert.ok(source in compose.volumes, `${name}'s volume ${source} is a named volume`);
      }
      assert.ok(healthcheck?.test?.length && !healthcheck.disable, `${name} has a healthcheck`);
    }
    assert.ok(service('postgres').volumes!.some((volume) => volume.endsWith(':/var/lib/postgresql/data')));
    assert.ok(service('redis').volumes!.some((volume) => volume.endsWith(':/data')));
  });

  it('runs redis with append-only persistence fsynced on every write, and no eviction', () => {
    const command = service('redis').command ?? [];
    assert.equal(command[command.indexOf('--appendonly') + 1], 'yes');
    // A job behind a 2xx answer is on disk before the answer: nothing acknowledged is lost to a crash.
    assert.equal(command[command.indexOf('--appendfsync') + 1], 'always');
    assert.equal(command[command.indexOf('--maxmemory-policy') + 1], 'noeviction');
  });

  it('starts the API and the workers after the migrations succeeded and redis is healthy', () => {
    assert.equal(service('migrate').depends_on?.postgres?.condition, 'service_healthy');
    for (const name of ['helpdesk-api', 'helpdesk-worker']) {
      const dependsOn = service(name).depends_on ?? {};
      assert.equal(dependsOn.migrate?.condition, 'service_completed_successfully', name);
      assert.equal(dependsOn.redis?.condition, 'service_healthy', name);
    }
  });

  it("rotates every container's log, so logs cannot fill the server's disk", () => {
    for (const [name, definition] of Object.entries(services)) {
      const logging = definition.logging;
      assert.equal(logging?.driver, 'json-file', `${name}: logging.driver json-file`);
      assert.match(logging?.options?.['max-size'] ?? '', /^\d+[kmg]$/, `${name}: a max-size per log file`);
      assert.match(String(logging?.options?.['max-file'] ?? ''), /^\d+$/, `${name}: a number of files kept`);
    }
  });

  it('lets the workers scale: no container name, no published port', () => {
    const worker = service('helpdesk-worker');
    assert.equal(worker.container_name, undefined);
    assert.equal(worker.ports, undefined);
  });

  it('publishes the ports the services listen on, and checks their health there', () => {
    const api = service('helpdesk-api');
    assert.ok(api.ports?.some((port) => port.endsWith(`:${api.environment?.HELPDESK_PORT}`)));
    const sidecar = service('wpp-sidecar');
    assert.ok(sidecar.ports?.some((port) => port.endsWith(`:${sidecar.environment?.SIDECAR_PORT}`)));
    assert.ok(
      sidecar.ports?.every((port) => port.startsWith('127.0.0.1:')),
      'the sidecar stays on loopback',
    );
    const worker = service('helpdesk-worker');
    assert.ok(
      worker.healthcheck?.test?.some((part) => part.includes(`:${worker.environment?.METRICS_PORT}/health`)),
      'the worker is checked on its METRICS_PORT',
    );
  });

  it('publishes the API on the host loopback unless API_PUBLISH_ADDRESS says otherwise', () => {
    const ports = service('helpdesk-api').ports ?? [];
    assert.ok(ports.length > 0);
    for (const port of ports) {
      assert.match(port, /^\$\{API_PUBLISH_ADDRESS:-127\.0\.0\.1\}:/, `${port} binds to loopback by default`);
    }
  });

  it('gives each service only the variables it needs: no env_file, no secret where it is not used', () => {
    for (const [name, definition] of Object.entries(services)) {
      assert.equal(definition.env_file, undefined, `${name} reads no whole .env (env_file)`);
    }
    // The sidecar runs Chromium with --no-sandbox on WhatsApp Web content.
    for (const secret of [
      'DATABASE_URL',
      'POSTGRES_PASSWORD',
      'ADMIN_PASSWORD',
      'CLOUD_API_TOKEN',
      'CLOUD_API_APP_SECRET',
    ]) {
      assert.ok(!environment('wpp-sidecar').includes(secret), `the sidecar does not get ${secret}`);
    }
    assert.ok(!environment('helpdesk-worker').includes('ADMIN_PASSWORD'), 'the worker creates no admin');
    assert.deepEqual(environment('migrate').sort(), ['DATABASE_URL', 'NODE_ENV']);
    assert.ok(!JSON.stringify(service('wpp-sidecar').environment).includes('POSTGRES_PASSWORD'));
  });

  it('passes the API and the sidecar every setting their configurations read', () => {
    // Without env_file, a new configuration variable must be listed in docker-compose.yml.
    const notFromEnv = new Set(['METRICS_PORT']);
    const api = environment('helpdesk-api');
    for (const variable of HELPDESK_VARIABLES) {
      if (!notFromEnv.has(variable)) assert.ok(api.includes(variable), `helpdesk-api gets ${variable}`);
    }
    const sidecar = environment('wpp-sidecar');
    for (const variable of SIDECAR_VARIABLES) {
      assert.ok(sidecar.includes(variable), `wpp-sidecar gets ${variable}`);
    }
  });

  it('gives the sidecar a large /dev/shm and keeps its tokens and uploads in volumes', () => {
    const sidecar = service('wpp-sidecar');
    assert.ok(sidecar.shm_size, 'shm_size is set');
    const targets = new Map(
      (sidecar.volumes ?? []).map((volume) => volume.split(':').reverse() as [string, string]),
    );
    for (const variable of ['TOKENS_DIR', 'UPLOADS_DIR']) {
      const directory = String(sidecar.environment?.[variable]);
      assert.ok(targets.has(directory), `${variable}=${directory} is a mounted volume`);
      assert.ok(targets.get(directory)! in compose.volumes, `${directory} is a named volume`);
    }
  });

  it('runs only scripts that exist in the package.json each command names', () => {
    for (const [name, definition] of Object.entries(services)) {
      const dockerfile = dockerfileOf(name);
      if (!dockerfile) continue; // postgres, redis: upstream images
      const command = definition.command ?? execForm(dockerfileStages(dockerfile).at(-1)!, 'CMD');
      assert.ok(command, `${name} has a command`);
      const { packageJson, script } = npmScript(command);
      assert.ok(existsSync(join(ROOT, packageJson)), `${name}: ${packageJson} exists`);
      const scripts = (JSON.parse(read(packageJson)) as { scripts?: Record<string, string> }).scripts ?? {};
      assert.ok(scripts[script], `${name}: ${packageJson} has the script "${script}"`);
    }
  });

  it('sets only environment variables the services know', () => {
    const known = (names: string[], variables: readonly string[]) => {
      for (const name of names) {
        for (const variable of Object.keys(service(name).environment ?? {})) {
          assert.ok(
            variables.includes(variable),
            `${name} sets ${variable}, which its configuration does not read`,
          );
        }
      }
    };
    known(helpdeskServices, HELPDESK_VARIABLES);
    known(sidecarServices, SIDECAR_VARIABLES);
  });

  it('reads every interpolated ${VARIABLE} from .env (documented in .env.example)', () => {
    const interpolated = new Set(
      [...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!),
    );
    for (const variable of interpolated)
      assert.ok(envExample.includes(variable), `${variable} in .env.example`);
  });
});

describe('.env.example', () => {
  it('names only variables a configuration reads (or compose itself)', () => {
    const known = new Set([...HELPDESK_VARIABLES, ...SIDECAR_VARIABLES, ...COMPOSE_ONLY_VARIABLES]);
    for (const variable of envExample)
      assert.ok(known.has(variable), `${variable} is read by no configuration`);
  });

  it('documents every variable of the helpdesk and the sidecar', () => {
    for (const variable of [...HELPDESK_VARIABLES, ...SIDECAR_VARIABLES]) {
      assert.ok(envExample.includes(variable), `${variable} is missing from .env.example`);
    }
  });
});

describe('scripts/setup-env.mjs (first start)', () => {
  /** Runs the script in a scratch copy of the repository root. @returns the folder. */
  function runSetup(existingEnv?: string): string {
    const root = mkdtempSync(join(tmpdir(), 'setup-env-'));
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(ROOT, 'scripts/setup-env.mjs'), join(root, 'scripts/setup-env.mjs'));
    copyFileSync(join(ROOT, '.env.example'), join(root, '.env.example'));
    if (existingEnv !== undefined) writeFileSync(join(root, '.env'), existingEnv);
    execFileSync(process.execPath, [join(root, 'scripts/setup-env.mjs')], { stdio: 'pipe' });
    return root;
  }
  const envOf = (root: string) => parseEnv(readFileSync(join(root, '.env'), 'utf8'));

  it('generates a METRICS_TOKEN with the other secrets, which the helpdesk accepts', () => {
    const root = runSetup();
    try {
      const env = envOf(root);
      assert.match(env.METRICS_TOKEN ?? '', /^[A-Za-z0-9_-]{32}$/);
      assert.notEqual(env.METRICS_TOKEN, env.SIDECAR_API_KEY);
      assert.equal(loadConfig(env).metrics.token, env.METRICS_TOKEN);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('fills in a missing or empty METRICS_TOKEN and CHANNEL_SECRETS_KEY of an existing .env and leaves the rest alone', () => {
    for (const existing of ['LOG_LEVEL=warn\nMETRICS_TOKEN=\n', 'LOG_LEVEL=warn']) {
      const root = runSetup(existing);
      try {
        const env = envOf(root);
        assert.equal(env.LOG_LEVEL, 'warn');
        assert.match(env.METRICS_TOKEN ?? '', /^[A-Za-z0-9_-]{32}$/);
        assert.match(env.CHANNEL_SECRETS_KEY ?? '', /^[A-Za-z0-9_-]{32}$/);
        assert.equal(Object.keys(env).length, 3, JSON.stringify(env));
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });
});

describe('Dockerfiles', () => {
  for (const path of ['helpdesk/Dockerfile', 'wpp-sidecar/Dockerfile']) {
    describe(path, () => {
      const stages = dockerfileStages(path);
      const final = stages.at(-1)!;

      it('is multi-stage, and its final stage runs as a non-root user with a healthcheck', () => {
        assert.ok(stages.length >= 2, 'at least two FROM stages');
        const user = final.filter(([name]) => name === 'USER').at(-1)?.[1];
        assert.ok(user && !['root', '0', '0:0'].includes(user), `final USER is not root (got ${user})`);
        const last = final.findLastIndex(([name]) => name === 'USER');
        assert.ok(
          !final.slice(last + 1).some(([name]) => name === 'USER'),
          'nothing switches back to root afterwards',
        );
        const healthcheck = final.find(([name]) => name === 'HEALTHCHECK');
        assert.ok(healthcheck && !/^NONE\b/i.test(healthcheck[1]), 'HEALTHCHECK in the final stage');
      });

      // A stage that installs a workspace or runs its TypeScript needs what those files point at:
      // a tsconfig.json's `extends` (read by tsx and by Prisma's config loader) and the workspace
      // packages it depends on. The helpdesk image once failed at `prisma generate` for want of
      // tsconfig.base.json; only a real build (npm run test:deploy) showed it.
      it('copies into each stage what its copied tsconfig files extend and the workspaces they need', () => {
        for (const stage of stages) {
          const copied = stage
            .filter(([name, args]) => name === 'COPY' && !args.includes('--from='))
            .flatMap(([, args]) =>
              args
                .split(/\s+/)
                .filter((part) => !part.startsWith('--'))
                .slice(0, -1),
            )
            .map((source) => source.replace(/\/$/, ''));
          const has = (file: string) =>
            copied.some((source) => source === file || file.startsWith(`${source}/`));
          const tsconfigs = [
            'prisma.config.ts',
            'helpdesk/tsconfig.json',
            'wpp-sidecar/tsconfig.json',
            'contract/tsconfig.json',
          ];
          for (const tsconfig of tsconfigs.filter((file) => file.endsWith('.json') && has(file))) {
            const extended = (JSON.parse(read(tsconfig)) as { extends?: string }).extends;
            if (!extended) continue;
            const target = join(tsconfig, '..', extended).replace(/^\.\//, '');
            assert.ok(
              has(target),
              `${path}: a stage copies ${tsconfig}, which extends ${target}: copy it too`,
            );
          }
          if (has('prisma.config.ts')) {
            assert.ok(
              has('tsconfig.base.json'),
              `${path}: prisma.config.ts is loaded with tsconfig.base.json`,
            );
          }
          for (const workspace of ['helpdesk', 'wpp-sidecar'].filter((name) => has(name))) {
            const manifest = JSON.parse(read(`${workspace}/package.json`)) as {
              dependencies?: Record<string, string>;
            };
            if (manifest.dependencies?.['@whatsapp-helpdesk/contract']) {
              assert.ok(
                has('contract'),
                `${path}: ${workspace} depends on the contract workspace: copy contract/`,
              );
            }
          }
        }
      });

      it('copies only files that exist, from the repository root', () => {
        for (const stage of stages) {
          for (const [name, args] of stage) {
            if (name !== 'COPY' || args.includes('--from=')) continue;
            const parts = args.split(/\s+/).filter((part) => !part.startsWith('--'));
            for (const source of parts.slice(0, -1)) {
              assert.ok(existsSync(join(ROOT, source)), `${path}: COPY source ${source} exists`);
            }
          }
        }
      });
    });
  }

  it("installs Debian's Chromium in the sidecar image and downloads no browser", () => {
    const text = read('wpp-sidecar/Dockerfile').replace(/\\\n/g, ' ');
    const stages = dockerfileStages('wpp-sidecar/Dockerfile');
    const final = stages.at(-1)!;
    assert.ok(
      final.some(([name, args]) => name === 'RUN' && /apt-get install\b.*\bchromium\b/.test(args)),
      'apt-get install chromium in the final stage',
    );
    assert.match(text, /PUPPETEER_EXECUTABLE_PATH=\/usr\/bin\/chromium/);
    const install = stages[0]!.find(([name, args]) => name === 'RUN' && /\bnpm (ci|install)\b/.test(args));
    assert.ok(install, 'the build stage installs the packages');
    const copiesSkipConfig = stages[0]!.some(
      ([name, args]) => name === 'COPY' && args.includes('.puppeteerrc.cjs'),
    );
    assert.ok(
      install[1].includes('--ignore-scripts') || copiesSkipConfig,
      "puppeteer's install script cannot download a browser",
    );
    assert.doesNotMatch(text, /puppeteer browsers install|@puppeteer\/browsers/);
    assert.match(read('wpp-sidecar/.puppeteerrc.cjs'), /skipDownload:\s*true/);
  });

  it('builds the agent console into the helpdesk image (.dockerignore leaves local builds out)', () => {
    const stages = dockerfileStages('helpdesk/Dockerfile');
    const scripts = (JSON.parse(read('helpdesk/package.json')) as { scripts: Record<string, string> })
      .scripts;
    assert.ok(scripts['build:console'], 'helpdesk/package.json has build:console');
    assert.ok(
      stages.some((stage) => stage.some(([name, args]) => name === 'RUN' && args.includes('build:console'))),
      'a stage runs build:console',
    );
    assert.ok(
      stages
        .at(-1)!
        .some(
          ([name, args]) => name === 'COPY' && args.includes('--from=') && args.includes('helpdesk/public'),
        ),
      'the final stage copies the built console',
    );
  });

  it('lets a stop signal reach the service through npm: bash script shell, an init process', () => {
    for (const [name] of Object.entries(services)) {
      const dockerfile = dockerfileOf(name);
      if (!dockerfile) continue;
      const final = dockerfileStages(dockerfile).at(-1)!;
      const env = final
        .filter(([instruction]) => instruction === 'ENV')
        .map(([, args]) => args)
        .join(' ');
      assert.match(env, /NPM_CONFIG_SCRIPT_SHELL=\/bin\/bash/, `${dockerfile}: npm runs scripts with bash`);
      const entrypoint = execForm(final, 'ENTRYPOINT');
      assert.ok(
        service(name).init === true || ['dumb-init', 'tini'].includes(entrypoint?.[0] ?? ''),
        `${name} runs under an init process`,
      );
    }
  });

  it('keeps secrets, dependencies and sessions out of the build context (.dockerignore)', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['.env', '**/node_modules', 'tokens', 'uploads']) {
      assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
    }
  });
});
