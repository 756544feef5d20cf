// ESLint: type-aware typescript-eslint, zero warnings (npm run lint uses --max-warnings 0).
// The dependency-direction rules of STYLE.md are enforced here; each says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const pure = (name) => ({
  group: [
    '@guotu/server',
    '@guotu/server/*',
    '@guotu/web',
    '@guotu/web/*',
    'fastify',
    'kysely',
    'pg',
    '@electric-sql/pglite',
    'node:fs',
    'node:fs/promises',
    'fs',
    'node:net',
    'node:http',
  ],
  message: `${name} is pure: no I/O, no server, no database (STYLE.md "Direction").`,
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'coverage/**',
      'bench/results/**',
      'bench/.work/**',
      'tmp/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', '*.ts', 'scripts/*.mjs', 'apps/server/bin/*.mjs', 'bench/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      // Fastify handlers and hooks are async by contract, awaited or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [pure('domain'), { group: ['@guotu/*'], message: 'domain imports nothing of ours (STYLE.md).' }] },
      ],
    },
  },
  {
    files: ['packages/engine/src/**/*.ts', 'packages/spatial/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pure('engine/spatial'),
            {
              group: ['@guotu/contracts', '@guotu/engine', '@guotu/spatial'],
              message: 'engine and spatial import only @guotu/domain (STYLE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@guotu/server', '@guotu/server/*', '@guotu/engine', '@guotu/spatial', 'kysely', 'pg', 'fastify'],
              message: 'web imports only @guotu/domain and @guotu/contracts (DESIGN.md §2).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/server/src/**/routes.ts', 'apps/server/src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/repository.ts', '**/repository'],
              message: 'routes never import repositories: call a service (STYLE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/server/src/**/service.ts', 'apps/server/src/**/*-service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fastify', '@fastify/*'],
              message: 'services never see Fastify types; they take an Actor (STYLE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'bench/**/*.ts', '**/conformance/**/*.ts', 'scripts/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
