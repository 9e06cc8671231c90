// Every input action.yml declares, in its order, as specs; from them: the name constants, the
// defaults, the secret and flag lists, and the schema of the raw inputs. Nothing else lists inputs.

import * as z from 'zod/mini'
import type { InputSpec } from './field.js'
import { AUTH_INPUTS } from './specs/auth.js'
import { CLUSTER_INPUTS } from './specs/cluster.js'
import { NOTIFY_INPUTS } from './specs/notify.js'
import { POLICY_INPUTS } from './specs/policy.js'
import { RUN_INPUTS } from './specs/run.js'

type Specs = Record<string, InputSpec>
type NamesOf<S extends Specs> = { readonly [K in keyof S]: S[K]['name'] }
type SchemasOf<S extends Specs> = { [K in keyof S]: S[K]['schema'] }

const namesOf = <S extends Specs>(specs: S): NamesOf<S> =>
  Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, spec.name])) as NamesOf<S>

const defaultsOf = <S extends Specs>(specs: S): Record<S[keyof S]['name'], string> =>
  Object.fromEntries(Object.values(specs).map(spec => [spec.name, spec.default])) as Record<
    S[keyof S]['name'],
    string
  >

const CORE_INPUTS = { ...CLUSTER_INPUTS, ...AUTH_INPUTS, ...POLICY_INPUTS, ...RUN_INPUTS }
/** Keyed by a name for the code (PageSize); the spec holds the input's name (page-size). */
export const INPUTS = { ...CORE_INPUTS, ...NOTIFY_INPUTS }
export type InputKey = keyof typeof INPUTS

export const Inputs = namesOf(CORE_INPUTS)
export type InputName = (typeof Inputs)[keyof typeof Inputs]
/** Notification inputs. */
export const NotifyInputs = namesOf(NOTIFY_INPUTS)
export type NotifyInputName = (typeof NotifyInputs)[keyof typeof NotifyInputs]
/** Every input action.yml declares. */
export const ActionInputs = namesOf(INPUTS)
export type ActionInputName = InputName | NotifyInputName

/** Every spec, in action.yml's order. */
export const INPUT_SPECS: ReadonlyArray<InputSpec<ActionInputName>> = Object.values(INPUTS)
const KEYS = Object.keys(INPUTS) as InputKey[]

/** Defaults, exactly as action.yml declares them (a test keeps the two equal). */
export const CORE_INPUT_DEFAULTS = defaultsOf(CORE_INPUTS)
export const NOTIFY_INPUT_DEFAULTS = defaultsOf(NOTIFY_INPUTS)
export const INPUT_DEFAULTS: Record<ActionInputName, string> = defaultsOf(INPUTS)

/** Inputs whose raw value is a credential: masked before anything logs. */
export const SECRET_INPUTS = INPUT_SPECS.filter(spec => spec.secret).map(spec => spec.name)
/** Inputs that are flags on the command line (`--dry-run` alone means true). */
export const BOOLEAN_INPUTS = INPUT_SPECS.filter(spec => spec.boolean).map(spec => spec.name)

/** Reads one raw input; returns '' when it is not set (core.getInput fits). */
export type InputSource = (name: ActionInputName) => string

/** The raw inputs (strings) → each input's typed value, problems collected per input. */
export const inputsSchema = z.object(
  Object.fromEntries(KEYS.map(key => [key, INPUTS[key].schema])) as SchemasOf<typeof INPUTS>
)
export type InputValues = z.output<typeof inputsSchema>

export const readInputs = (source: InputSource): Record<InputKey, string> =>
  Object.fromEntries(KEYS.map(key => [key, source(INPUTS[key].name) ?? ''])) as Record<
    InputKey,
    string
  >

/** Where an input stands in action.yml (problems are reported in that order). */
export const inputOrder = (key: PropertyKey | undefined): number => KEYS.indexOf(key as InputKey)
