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
  moduleNameMapper: { '^koa-typed-session$': '<rootDir>/src/index.ts' },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  maxWorkers: 2,
  testTimeout: 20000,
  projects: [
    { ...base, displayName: 'koa3', testMatch: ['<rootDir>/test/**/*.test.ts'] },
    {
      ...base,
      displayName: 'koa2',
      // The core suite again on Koa 2 (koa is a peer dependency: both majors are supported).
      testMatch: ['<rootDir>/test/core/**/*.test.ts', '<rootDir>/test/koa/**/*.test.ts'],
      moduleNameMapper: { ...base.moduleNameMapper, '^koa$': '<rootDir>/node_modules/koa2' },
    },
  ],
};
