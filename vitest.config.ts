import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { isDriverTypeFetchFailure } from './services/core/db/driver-type-fetch.ts';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM builds; Pothos loads the CJS one. Point our own imports at
    // the same file so there is one graphql instance (else: "from another module or realm").
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: [
      'services/**/*.test.ts',
      'firmware-bridge/**/*.test.ts',
      'migrations/**/*.test.ts',
      'test/**/*.test.ts',
      'loadtests/**/*.test.ts',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only make them fight for CPU.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The API process survives this one (services/core/db/driver-type-fetch.ts); an API started
    // inside a test file, as in the chaos tests, meets it too when PostgreSQL restarts.
    onUnhandledError: (error) => !isDriverTypeFetchFailure(error),
  },
});
