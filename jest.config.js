/** Jest runs TypeScript through SWC with decorator metadata (esbuild/tsx would drop it). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^koa-typed-session$': '<rootDir>/src/index.ts',
    '^koa-typed-session/redis$': '<rootDir>/src/redis.ts',
    '^koa-typed-session/decorators$': '<rootDir>/src/decorators.ts',
  },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  maxWorkers: 2,
  // Builds dist/ once per run (when missing or stale), for the tests that load the published shape.
  globalSetup: '<rootDir>/test/helpers/build-dist.cjs',
  testTimeout: 20000,
  projects: [
    { ...base, displayName: 'koa3', testMatch: ['<rootDir>/test/**/*.test.ts'], globals: { KOA_MAJOR: 3 } },
    {
      ...base,
      displayName: 'koa2',
      // The suite again on Koa 2 (koa is a peer dependency: both majors are supported), but for
      // the browser, Redis-process and property-based suites, which do not touch Koa's API more.
      testMatch: [
        '<rootDir>/test/core/**/*.test.ts',
        '<rootDir>/test/koa/**/*.test.ts',
        '<rootDir>/test/di/**/*.test.ts',
        '<rootDir>/test/stores/**/*.test.ts',
        '<rootDir>/test/samples/**/*.test.ts',
        '<rootDir>/test/security/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '/test/security/hostile-'],
      moduleNameMapper: {
        ...base.moduleNameMapper,
        '^koa$': '<rootDir>/node_modules/koa2',
        '^koa/package.json$': '<rootDir>/node_modules/koa2/package.json',
      },
      globals: { KOA_MAJOR: 2 },
    },
  ],
};
