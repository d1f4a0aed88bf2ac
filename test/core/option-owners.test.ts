import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const source = (file: string): string => readFileSync(join(__dirname, '../../src', file), 'utf8');

/** One owner per option rule: every options owner uses the shared checks of core/option-checks.ts. */
describe('option checks have one owner', () => {
  test('option-checks.ts does not import options.ts (no import cycle)', () => {
    expect(source('core/option-checks.ts')).not.toMatch(/from '\.\/options'/);
  });

  test.each(['stores/memory-store.ts', 'stores/redis-store-options.ts', 'di/create-app.ts', 'core/options.ts'])(
    '%s has no fail() of its own and rejects unknown names through checkOptionNames',
    (file) => {
      const text = source(file);
      expect(text).not.toMatch(/function (fail|configError)\(/);
      expect(text).toMatch(/checkOptionNames\(/);
    },
  );

  test('normalizeOptions takes no unused warn parameter', () => {
    expect(source('core/options.ts')).not.toMatch(/warn: \(message: string\) => void/);
  });
});
