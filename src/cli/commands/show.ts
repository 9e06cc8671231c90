// `pod-cleaner show FILE`: a saved `result` output (JSON), checked against the result schema, as
// the table.

import { readFileSync } from 'node:fs'
import type { CycleResult } from '../../domain/result.js'
import { cycleResultSchema } from '../../domain/result-schema.js'
import { fail, messageOf, type CliIo } from '../io.js'
import { printTable } from '../output.js'

/** The result in a file, or why it is not one. */
export function readResultFile(file: string): { result: CycleResult } | { problem: string } {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    return { problem: messageOf(error) }
  }
  const parsed = cycleResultSchema.safeParse(json)
  if (parsed.success) return { result: parsed.data }
  const where = parsed.error.issues[0]?.path.join('.') || 'the document'
  return { problem: `not a Pod Cleaner result (version 1): ${where} is not valid` }
}

export function show(file: string | undefined, io: CliIo): number {
  if (!file)
    return fail(io, "show needs the path of a saved result JSON (the Action's `result` output).")
  const read = readResultFile(file)
  if ('problem' in read)
    return fail(io, `show ${file}: ${read.problem}; expected the Action's \`result\` output.`)
  printTable(read.result, io)
  return 0
}
