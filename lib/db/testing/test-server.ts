/** The key under which globalSetup provides the test server's connection string to test files. */
export const TEST_SERVER_URL_KEY = 'optlineTestDatabaseServerUrl';

declare module 'vitest' {
  export interface ProvidedContext {
    optlineTestDatabaseServerUrl: string;
  }
}
