// The Action's run() in-process with a recording @actions/core: the branches that need no
// cluster (bad input, notify-test without channels, a summary that cannot be written).
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../fixtures/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../../src/action/run.js')

const failures = (): string[] => core.setFailed.mock.calls.map(([m]) => m)

describe('run()', () => {
  beforeEach(() => core.reset())

  it('bad input fails once, naming every input, and touches no cluster', async () => {
    core.reset({ 'max-deletions': 'ten', 'fail-on': 'sometimes' })
    await run()
    expect(failures()).toHaveLength(1)
    expect(failures()[0]).toMatch(/^2 input errors:/)
    expect(failures()[0]).toContain(`Input 'max-deletions': "ten" is not valid`)
    expect(failures()[0]).toContain(`Input 'fail-on': "sometimes" is not valid`)
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.summaryWrites).toEqual([])
  })

  it('notify-test without a channel: says so in the summary and fails', async () => {
    core.reset({ 'notify-test': 'true' })
    await run()
    expect(core.summaryWrites).toEqual([
      '## Pod Cleaner notify-test\n\nNo notification channel is configured.\n'
    ])
    expect(failures()).toEqual(['notify-test: no channel is configured'])
  })

  it('a summary that cannot be written is a warning, never the failure', async () => {
    core.reset({ 'notify-test': 'true' }, new Error('EACCES: summary file'))
    await run()
    expect(failures()).toEqual(['notify-test: no channel is configured'])
    const warnings = core.warning.mock.calls.map(([m]) => m)
    expect(warnings).toContain('Could not write the job summary: EACCES: summary file')
  })

  it('masks secret inputs before anything can log', async () => {
    // Bad input too, so nothing is sent anywhere: masking must still come first.
    core.reset({
      'slack-webhook': 'https://hooks.slack.com/services/T0/B0/sekret',
      'max-deletions': 'ten'
    })
    await run()
    const masked = core.setSecret.mock.calls.map(([s]) => s)
    expect(masked).toContain('https://hooks.slack.com/services/T0/B0/sekret')
    // masking comes first: before the first log line or failure message
    const firstMask = core.setSecret.mock.invocationCallOrder[0] ?? Infinity
    const firstLog = Math.min(
      ...[core.info, core.debug, core.warning, core.setFailed].flatMap(
        fn => fn.mock.invocationCallOrder
      )
    )
    expect(firstMask).toBeLessThan(firstLog)
  })
})
