// `npm run bench`: compiles src/ and bench/ with SWC (decorator metadata on, as in jest) into
// node_modules/.cache, then runs the harness. Plain JS because it runs before anything is compiled;
// SWC rather than tsc because it takes well under a second and keeps `design:paramtypes`.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'node_modules', '.cache', 'koa-typed-session-bench');

function tsFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

rmSync(out, { recursive: true, force: true });
for (const file of [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'bench'))]) {
  const { code } = swc.transformFileSync(file, {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      // `import ... from 'koa-typed-session'` in the bench apps is this repository's src/.
      baseUrl: root,
      paths: { 'koa-typed-session': ['./src/index.ts'] },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code);
}

const harness = createRequire(import.meta.url)(join(out, 'bench', 'harness.js'));
harness.main({ root, build: out }).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
