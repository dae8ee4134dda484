/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where a V8 CPU profile (written by
 * `BENCH_PROFILE=<dir>`) spends its time. Prints the share of busy time (idle and GC shown apart)
 * by package (`node_modules/<name>`, `node:` internals, our `src/<folder>`), then the functions with
 * the most self time, then the packages by inclusive time (a package's frames and everything they
 * call, counted once per sample).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArgument] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArgument ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

/** The package a frame belongs to. */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const source = /\/(src|bench|test)\/(.*)$/.exec(url);
  if (source) return `${source[1]}/${source[2]!.split('/')[0]}`;
  return url;
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const self = new Map<number, number>();
for (let index = 0; index < profile.samples.length; index += 1) {
  const id = profile.samples[index]!;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}
let total = 0;
let idle = 0;
const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, micros] of self) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  total += micros;
  if (functionName === '(idle)' || functionName === '(program)') {
    idle += functionName === '(idle)' ? micros : 0;
    if (functionName === '(idle)') continue;
  }
  const name = packageOf(url, functionName);
  byPackage.set(name, (byPackage.get(name) ?? 0) + micros);
  const key = `${functionName || '(anonymous)'} ${name}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  const seen = new Set<string>();
  for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
    const frame = byId.get(cursor)!.callFrame;
    seen.add(packageOf(frame.url, frame.functionName));
  }
  for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
}
const busy = total - idle;
const percent = (micros: number) => `${((micros * 100) / busy).toFixed(1)} %`;
console.log(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s`);
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${percent(micros).padStart(8)}  ${name}`);
};
print('self time by package', byPackage);
print('self time by function', byFunction);
print('inclusive time by package', inclusive);
