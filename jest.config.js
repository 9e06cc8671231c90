// Two projects: pure unit tests (no I/O) and integration tests that run against the real
// kube-apiserver started once by globalSetup (hack/cluster.sh). `npm test` runs both.
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  }
}

export default {
  verbose: false,
  maxWorkers: 2,
  // Integration tests wait for real controllers; the unit project sets 10 s in its setup file.
  testTimeout: 300000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'],
      // No network, no spawned processes, no servers: a test that hangs fails in 10 s.
      setupFilesAfterEnv: ['<rootDir>/__tests__/fixtures/unit-timeout.ts']
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/integration/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/integration/global-teardown.ts'
    }
  ]
}
