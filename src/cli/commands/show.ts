// `pod-cleaner show FILE`: a saved `result` output (JSON), checked against the result schema, as
// the table.

import { readResultFile } from '../../store/result-files.js'
import { fail, type CliIo } from '../io.js'
import { printTable } from '../output.js'

export { readResultFile } from '../../store/result-files.js'

export function show(file: string | undefined, io: CliIo): number {
  if (!file)
    return fail(io, "show needs the path of a saved result JSON (the Action's `result` output).")
  const read = readResultFile(file)
  if ('problem' in read)
    return fail(io, `show ${file}: ${read.problem}; expected the Action's \`result\` output.`)
  printTable(read.result, io)
  return 0
}
