// Small parsers shared by every input reader (core and notification inputs).

/** Splits a comma/newline separated list, trimming blanks. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map(item => item.trim())
    .filter(item => item.length > 0)
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?$/

/** "300", "90s", "5m", "1h30m" → seconds; undefined when malformed. */
export function parseDuration(raw: string): number | undefined {
  const text = raw.trim()
  if (/^\d+$/.test(text)) return Number(text)
  const match = DURATION.exec(text)
  if (!match || text === '') return undefined
  const [, h, m, s] = match
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)
}
