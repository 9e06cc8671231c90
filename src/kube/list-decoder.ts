// A streaming decoder for Kubernetes List responses: it reads the body chunk by chunk and hands
// out each item as soon as its JSON is complete, so a page of 500 pods is never one big string
// plus one big object graph. Each item is parsed on its own and can die young (a page-sized graph
// outlives several scavenges and is promoted, which made memory grow with the cluster).

export interface ListEnvelope {
  kind?: string
  apiVersion?: string
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number }
}

const ITEMS = /"items"\s*:\s*\[/

/**
 * Feeds text chunks; calls onItem(jsonText) for each complete item. finish() returns the list's
 * envelope (everything but the items), parsed from the text before and after the array.
 */
export class ListDecoder {
  private buffer = ''
  private outside = '' // the envelope's text, items removed
  private state: 'prefix' | 'items' | 'suffix' = 'prefix'
  private scan = 0 // where scanning resumes inside the buffer
  private depth = 0
  private inString = false
  private start = -1 // start of the current item in the buffer

  constructor(private readonly onItem: (json: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk
    if (this.state === 'prefix') {
      const match = ITEMS.exec(this.buffer)
      if (!match) return
      this.outside += this.buffer.slice(0, match.index) + '"items":[]'
      this.buffer = this.buffer.slice(match.index + match[0].length)
      this.state = 'items'
      this.scan = 0
    }
    if (this.state === 'items') this.scanItems()
    if (this.state === 'suffix') {
      this.outside += this.buffer
      this.buffer = ''
    }
  }

  private scanItems(): void {
    const text = this.buffer
    let i = this.scan
    for (; i < text.length; i++) {
      if (this.inString) {
        // Jump to the next quote (string contents are most of the text); an odd run of
        // backslashes before it escapes it.
        const quote = text.indexOf('"', i)
        if (quote < 0) {
          i = text.length
          break
        }
        let slashes = 0
        while (text.charCodeAt(quote - 1 - slashes) === 92 /* \ */ && quote - 1 - slashes >= 0)
          slashes++
        i = quote
        if (slashes % 2 === 0) this.inString = false
        continue
      }
      const c = text.charCodeAt(i)
      if (c === 34) {
        this.inString = true
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.depth === 0) this.start = i
        this.depth++
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (this.depth === 0 && c === 93) {
          // The end of the items array.
          this.buffer = text.slice(i + 1)
          this.state = 'suffix'
          this.scan = 0
          return
        }
        this.depth--
        if (this.depth === 0) {
          this.onItem(text.slice(this.start, i + 1))
          this.start = -1
        }
      }
    }
    // Keep only the unfinished item; drop what was handed out.
    if (this.start >= 0) {
      this.buffer = text.slice(this.start)
      this.scan = i - this.start
      this.start = 0
    } else {
      this.buffer = ''
      this.scan = 0
    }
  }

  finish(): ListEnvelope {
    if (this.state === 'prefix') {
      // No items array at all (an empty list may omit it): the whole body is the envelope.
      return JSON.parse(this.buffer || '{}') as ListEnvelope
    }
    if (this.state === 'items') throw new Error('list response ended inside its items array')
    return JSON.parse(this.outside) as ListEnvelope
  }
}
