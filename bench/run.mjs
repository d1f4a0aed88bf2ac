// `npm run bench`: compiles src/ and bench/ with SWC (decorator metadata on, as in jest) into
// node_modules/.cache, then runs the harness. Plain JS because it runs before anything is compiled;
// SWC rather than tsc because it takes well under a second and keeps `design:paramtypes`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// In the worktree itself, not node_modules/.cache: node_modules may be shared by several checkouts
// (a symlink), and two runs must not delete each other's build.
const out = join(root, '.bench-build');

function tsFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Compiles `<from>/src` and `<from>/bench` into `<to>`, with 'koa-typed-session' mapped to `<from>/src`. */
function compile(from, to) {
  for (const file of [...tsFiles(join(from, 'src')), ...tsFiles(join(from, 'bench'))]) {
    const { code } = swc.transformFileSync(file, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        // `import ... from 'koa-typed-session'` in the bench apps is this repository's src/.
        baseUrl: from,
        paths: {
          'koa-typed-session': ['./src/index.ts'],
          'koa-typed-session/redis': ['./src/redis.ts'],
          'koa-typed-session/decorators': ['./src/decorators.ts'],
        },
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    });
    const target = join(to, relative(from, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
}

rmSync(out, { recursive: true, force: true });
compile(root, out);
// `npm run bench -- build`: only compile (for profiling scripts that load .bench-build/ directly).
if (process.argv[2] === 'build') process.exit(0);

// BENCH_BEFORE=<git ref>: our scenarios also run on that commit's src/ (same bench apps), side by
// side in the same rounds: the way to measure one optimisation on a busy machine.
const before = process.env.BENCH_BEFORE;
if (before) {
  // Outside node_modules: SWC does not apply `paths` to files under it.
  const tree = mkdtempSync(join(tmpdir(), 'kts-bench-before-'));
  const archive = execFileSync('git', ['archive', '--format=tar', before, 'src'], { cwd: root, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  cpSync(join(root, 'bench'), join(tree, 'bench'), { recursive: true });
  compile(tree, join(out, 'before'));
  rmSync(tree, { recursive: true, force: true });
}

const load = createRequire(import.meta.url);
const entry = { micro: ['micro.js', 'micro'], 'store-capacity': ['store-capacity.js', 'storeCapacity'] }[
  process.argv[2]
] ?? ['harness.js', 'main'];
const run = load(join(out, 'bench', entry[0]))[entry[1]];
run({ root, build: out, before }).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
