import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `@/lib/...` is the repository's root, as in tsconfig.json.
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) }] },
  test: {
    include: ['lib/**/*.test.ts', 'workflows/**/*.test.ts', 'app/**/*.test.ts', 'components/**/*.test.ts', 'bin/**/*.test.ts'],
    // Tests must not depend on the machine's zone: run them in UTC, and they
    // still pass under any other TZ (STYLE.md, Tests).
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    globalSetup: ['lib/db/testing/global-setup.ts'],
    // Every handler's answers are checked against the OpenAPI document (app/api/testing/openapi-check.ts).
    setupFiles: ['app/api/testing/vitest-setup.ts'],
  },
});
