import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

// The dependency rule of src/ (README "Layout"): action/ and cli/ → app/ → cycle/ → domain/;
// kube/, notify/, store/ implement the ports of cycle/ports.ts; report/ reads domain types;
// domain/ and cycle/ do no I/O of their own (cycle/ goes through the ports). Each folder lists the folders it must not import.
const FOLDERS = [
  'action',
  'app',
  'cli',
  'config',
  'cycle',
  'domain',
  'kube',
  'lib',
  'notify',
  'report',
  'store'
]
const IO_PACKAGES = [
  'node:fs',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'undici',
  '@kubernetes/client-node',
  '@actions/core',
  '@actions/github',
  'nodemailer',
  'prom-client'
]
const allowed = {
  action: FOLDERS,
  cli: FOLDERS,
  app: FOLDERS.filter(f => !['action', 'cli'].includes(f)),
  config: ['config', 'domain', 'lib', 'notify'],
  cycle: ['cycle', 'domain', 'lib', 'config'],
  domain: ['domain', 'lib'],
  kube: ['kube', 'domain', 'lib', 'cycle/ports'],
  notify: ['notify', 'domain', 'lib', 'report', 'cycle/ports'],
  store: ['store', 'domain', 'lib', 'cycle/ports'],
  report: ['report', 'domain', 'lib', 'config'],
  lib: ['lib']
}
const boundaries = Object.entries(allowed).map(([folder, may]) => {
  const forbidden = FOLDERS.filter(f => !may.includes(f))
  // cycle/ports is the one file of cycle/ that adapters may import.
  const cycleOnlyPorts = may.includes('cycle/ports') && !may.includes('cycle')
  const patterns = [
    ...forbidden
      .filter(f => !(f === 'cycle' && cycleOnlyPorts))
      .map(f => ({
        regex: `^(\\.\\./)+${f}/`,
        message: `src/${folder}/ must not import src/${f}/ (the dependency rule in README "Layout").`
      })),
    ...(cycleOnlyPorts
      ? [
          {
            regex: '^(\\.\\./)+cycle/(?!ports\\.js$)',
            message: `src/${folder}/ may import only cycle/ports.ts of src/cycle/.`
          }
        ]
      : [])
  ]
  const paths = ['domain', 'cycle'].includes(folder)
    ? IO_PACKAGES.map(name => ({
        name,
        message: `src/${folder}/ does no I/O: use a port (src/cycle/ports.ts).`
      }))
    : []
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns, paths }] }
  }
})

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'hack/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // Plain Node scripts (bundler, demo, benchmarks): Node's globals.
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.js'],
    languageOptions: { globals: globals.node }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off'
    }
  },
  ...boundaries
)
