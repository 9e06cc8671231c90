// One input = one spec: its name, default, action.yml description, CLI help, and a zod schema that
// turns the raw string into its typed value. A problem names the input, the value (redacted for a
// secret) and the expected form; the value then falls back to the default, so the cross-field
// rules still run and every problem is reported at once.

import * as z from 'zod/mini'
import { parseDuration, parseList } from '../lib/parse.js'
import { redact, show } from './checks.js'

/** What a field type sees of one raw input while it parses it. */
export interface Field {
  readonly name: string
  readonly default: string
  /** The raw text as given ('' = not set). */
  readonly raw: string
  /** The trimmed text, or the default when it is not set. */
  readonly value: string
  /** Reports "Input 'name': "value" is not valid; expected …." */
  invalid(value: string, expected: string): void
  /** Reports a problem in its own words. */
  problem(message: string): void
}

/** How one kind of input parses; on a problem it reports it and returns a fallback. */
export interface FieldType<T> {
  parse(field: Field): T
  /** The allowed values of an enumeration (--help lists them). */
  values?: readonly string[]
  /** A flag: on the command line `--dry-run` alone means true. */
  boolean?: true
}

export interface InputMeta<N extends string> {
  name: N
  default: string
  /** action.yml's description, word for word (a test compares them). */
  description: string
  /** One line for `pod-cleaner --help`. */
  help: string
  /** A credential: masked in logs, redacted in messages, a secret of the reusable workflow. */
  secret?: boolean
}

export interface InputSpec<N extends string = string, T = unknown> extends InputMeta<N> {
  secret: boolean
  boolean: boolean
  values?: readonly string[]
  /** raw string → typed value. */
  schema: z.ZodMiniType<T, string>
}

/** "Input 'name': "value" is not valid; expected …." — the value redacted for a secret. */
export const invalidMessage = (
  spec: Pick<InputMeta<string>, 'name' | 'secret'>,
  value: string,
  expected: string
): string =>
  `Input '${spec.name}': ${spec.secret ? redact(value) : show(value)} is not valid; expected ${expected}.`

function field(meta: InputMeta<string>, raw: string, payload: z.core.ParsePayload): Field {
  const report = (message: string): void => {
    // continue: the other inputs and the cross-field rules are still checked.
    payload.issues.push({ code: 'custom', message, input: undefined, continue: true })
  }
  return {
    name: meta.name,
    default: meta.default,
    raw,
    value: raw.trim() === '' ? meta.default : raw.trim(),
    invalid: (value, expected) => report(invalidMessage(meta, value, expected)),
    problem: report
  }
}

/** Declares one input. */
export function input<const N extends string, T>(
  meta: InputMeta<N>,
  type: FieldType<T>
): InputSpec<N, T> {
  const schema = z.pipe(
    z.string(),
    z.transform((raw: string, payload) => type.parse(field(meta, raw, payload)))
  )
  return {
    ...meta,
    secret: meta.secret ?? false,
    boolean: type.boolean === true,
    ...(type.values && { values: type.values }),
    schema
  }
}

/** Text as given (trimmed); the default when not set. */
export const text: FieldType<string> = { parse: f => f.value }

/** Text, or undefined when not set. */
export const optionalText: FieldType<string | undefined> = { parse: f => f.value || undefined }

/** A comma- or newline-separated list. */
export const list: FieldType<string[]> = { parse: f => parseList(f.value) }

/** `core.getBooleanInput` strictness: "maybe" is an error, not false. */
export const flag: FieldType<boolean> = {
  boolean: true,
  parse: f => {
    if (['true', 'True', 'TRUE'].includes(f.value)) return true
    if (['false', 'False', 'FALSE'].includes(f.value)) return false
    f.invalid(f.value, 'true or false')
    return f.default === 'true'
  }
}

export function oneOf<const T extends string>(values: readonly T[]): FieldType<T> {
  return {
    values,
    parse: f => {
      if ((values as readonly string[]).includes(f.value)) return f.value as T
      f.invalid(f.value, `one of ${values.join(', ')}`)
      return f.default as T
    }
  }
}

export function wholeNumber(min: number, max: number): FieldType<number> {
  return {
    parse: f => {
      const n = Number(f.value)
      if (/^-?\d+$/.test(f.value) && n >= min && n <= max) return n
      f.invalid(f.value, `a whole number from ${min} to ${max}`)
      return Number(f.default)
    }
  }
}

export const percent: FieldType<number> = {
  parse: f => {
    const n = Number(f.value)
    if (/^\d+(\.\d+)?$/.test(f.value) && n <= 100) return n
    f.invalid(f.value, 'a percentage from 0 to 100')
    return Number(f.default)
  }
}

/** Seconds, from "300" or "90s" / "5m" / "1h30m". */
export function duration(
  minSeconds: number,
  maxSeconds: number,
  examples = '("300") or with units ("90s", "5m", "1h30m")'
): FieldType<number> {
  return {
    parse: f => {
      const seconds = parseDuration(f.value)
      if (seconds !== undefined && seconds >= minSeconds && seconds <= maxSeconds) return seconds
      f.invalid(f.value, `a duration from ${minSeconds}s to ${maxSeconds}s, as seconds ${examples}`)
      return parseDuration(f.default) ?? NaN
    }
  }
}

/** A duration, or the word auto. */
export function durationOrAuto(inner: FieldType<number>): FieldType<number | 'auto'> {
  return {
    parse: f => {
      if (f.value === 'auto') return 'auto'
      const seconds = inner.parse(f)
      // A bad value falls back to the default, auto.
      return Number.isNaN(seconds) ? 'auto' : seconds
    }
  }
}
