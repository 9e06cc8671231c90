// Log lines: text for people, or one JSON object per line (`log-format: json`) for machines.

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  notice(message: string, fields?: Record<string, unknown>): void
  warning(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

export interface LogSink {
  debug(line: string): void
  info(line: string): void
  notice(line: string): void
  warning(line: string): void
  error(line: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

export function createLogger(sink: LogSink, format: 'text' | 'json'): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>): string => {
    if (format === 'json') return JSON.stringify({ level, msg: message, ...fields })
    if (!fields || Object.keys(fields).length === 0) return message
    const kv = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    return `${message} ${kv.join(' ')}`
  }
  return {
    debug: (m, f) => sink.debug(line('debug', m, f)),
    info: (m, f) => sink.info(line('info', m, f)),
    notice: (m, f) => sink.notice(line('notice', m, f)),
    warning: (m, f) => sink.warning(line('warning', m, f)),
    error: (m, f) => sink.error(line('error', m, f)),
    group: (name, fn) => sink.group(name, fn)
  }
}

/** A sink for the CLI and tests: stderr for diagnostics, no GitHub workflow commands. */
export const consoleSink = (verbose = false): LogSink => ({
  debug: line => {
    if (verbose) console.error(line)
  },
  info: line => console.error(line),
  notice: line => console.error(`notice: ${line}`),
  warning: line => console.error(`warning: ${line}`),
  error: line => console.error(`error: ${line}`),
  group: async (name, fn) => {
    console.error(name)
    return fn()
  }
})
