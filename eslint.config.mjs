import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.next/**',
      'data/**',
      'server/db/generated/**',
      'bench/results/**',
      'bench/tmp/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      // DICOM JSON and dcmjs are loosely typed at the edges; `any` stays visible in review.
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
];

export default config;
