import { describe, expect, it } from '@jest/globals'
import {
  labelSelectorProblem,
  matchesLabels,
  parseLabelSelector,
  type Requirement
} from '../../src/domain/label-selector.js'
import { fileCluster } from '../../src/kube/file-cluster.js'
import { pod } from '../fixtures/pods.js'

const parsed = (selector: string): Requirement[] => {
  const result = parseLabelSelector(selector)
  if ('problem' in result) throw new Error(result.problem)
  return result
}

describe('label selectors, as the apiserver reads them', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', {}, true], // a missing label is "not web"
    ['app!=web', { app: 'web' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'web' }, false],
    ['!app', {}, true],
    ['env in (prod, staging)', { env: 'staging' }, true],
    ['env in (prod, staging)', {}, false],
    ['env notin (prod)', {}, true],
    ['env notin (prod)', { env: 'prod' }, false],
    ['app=web,tier!=db,env in (a,b)', { app: 'web', env: 'b' }, true],
    ['app=web,tier!=db', { app: 'web', tier: 'db' }, false]
  ])('%s on %j → %s', (selector, labels, expected) => {
    expect(matchesLabels(parsed(selector), labels)).toBe(expected)
  })

  it.each<[string, string]>([
    ['app=web,', 'empty requirement'],
    ['env in (a', 'unbalanced parentheses'],
    ['a/b/c=x', 'invalid key "a/b/c"'],
    ['app=-web', 'invalid value "-web"'],
    ['app ~ web', 'cannot parse "app ~ web"']
  ])('%s is refused: %s', (selector, problem) => {
    expect(labelSelectorProblem(selector)).toBe(problem)
  })
})

describe('an offline scan (scan --file) applies the label selector', () => {
  it('lists only the matching pods', async () => {
    const pods = [pod({ name: 'a' }), pod({ name: 'b' })]
    pods[0]!.metadata.labels = { app: 'web' }
    pods[1]!.metadata.labels = { app: 'db' }
    const cluster = fileCluster('pods.json', pods, [])
    const names: string[] = []
    for await (const event of cluster.listPods(
      { labelSelector: 'app=web', pageSize: 500 },
      p => p.metadata.name
    )) {
      if (event.type === 'page') names.push(...event.pods.map(String))
    }
    expect(names).toEqual(['a'])
  })
})
