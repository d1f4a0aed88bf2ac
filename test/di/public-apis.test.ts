/**
 * Issue 13: fast paths use only the public API of the libraries they shortcut. A deep import into
 * a package's build output (e.g. class-transformer's private metadata storage) may break on any
 * release of that package.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

test('src/ imports no private module of class-transformer or class-validator', () => {
  const deep = sourceFiles(join(__dirname, '../../src')).filter((file) =>
    /from '(class-transformer|class-validator)\/[^']*'/.test(readFileSync(file, 'utf8')),
  );
  expect(deep).toEqual([]);
});
