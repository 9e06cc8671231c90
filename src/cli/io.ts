// Where the CLI writes, and how it words what went wrong.

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export const processIo: CliIo = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text)
}

/** Colour only for a terminal, and never with NO_COLOR (https://no-color.org). */
export const useColor = (): boolean =>
  process.env.FORCE_COLOR !== undefined
    ? process.env.FORCE_COLOR !== '0'
    : process.stdout.isTTY === true && !process.env.NO_COLOR

/** An error's message (by shape: `instanceof Error` can fail across realms), or the value. */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String(error.message)
  return String(error)
}

/** "pod-cleaner: …" on stderr; returns the exit code for bad usage or input. */
export function fail(io: CliIo, message: string): 2 {
  io.stderr(`pod-cleaner: ${message}\n`)
  return 2
}
