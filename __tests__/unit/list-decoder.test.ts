import { describe, expect, it } from '@jest/globals'
import { ListDecoder } from '../../src/kube/list-decoder.js'

/** Feeds `text` in chunks of `size` characters; returns the items and the envelope. */
function decode(text: string, size: number) {
  const items: unknown[] = []
  const decoder = new ListDecoder(json => items.push(JSON.parse(json)))
  for (let i = 0; i < text.length; i += size) decoder.push(text.slice(i, i + size))
  return { items, envelope: decoder.finish() }
}

const tricky = [
  {
    metadata: { name: 'a', annotations: { note: 'braces } ] { [ and "quotes" and \\ backslashes' } }
  },
  {
    metadata: { name: 'b' },
    status: { containerStatuses: [{ state: { waiting: { message: 'a "}" inside' } } }] }
  },
  { metadata: { name: 'c', labels: {} }, spec: { containers: [] } }
]
const list = {
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: {
    resourceVersion: '42',
    continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
    remainingItemCount: 7
  },
  items: tricky
}

describe('ListDecoder', () => {
  it.each([1, 2, 3, 7, 64, 100_000])(
    'decodes every item and the envelope with chunks of %d',
    size => {
      const { items, envelope } = decode(JSON.stringify(list), size)
      expect(items).toEqual(tricky)
      expect(envelope).toEqual({ ...list, items: [] })
    }
  )

  it('accepts pretty-printed JSON and metadata after the items', () => {
    const text = JSON.stringify(
      { kind: 'PodList', items: tricky, metadata: { continue: 'x' } },
      null,
      2
    )
    const { items, envelope } = decode(text, 5)
    expect(items).toEqual(tricky)
    expect(envelope.metadata).toEqual({ continue: 'x' })
  })

  it('an empty list, with or without an items array', () => {
    expect(decode('{"kind":"PodList","metadata":{},"items":[]}', 4)).toEqual({
      items: [],
      envelope: { kind: 'PodList', metadata: {}, items: [] }
    })
    expect(
      decode('{"kind":"PodList","metadata":{"resourceVersion":"1"}}', 4).envelope.metadata
    ).toEqual({ resourceVersion: '1' })
  })

  it('a body cut inside the items array is an error, not a short list', () => {
    const text = JSON.stringify(list)
    const decoder = new ListDecoder(() => undefined)
    decoder.push(text.slice(0, text.length - 30))
    expect(() => decoder.finish()).toThrow(/ended inside its items array/)
  })
})
