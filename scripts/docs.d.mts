export declare const MARKERS: string[]
interface ActionYml {
  inputs?: Record<string, { description?: string; default?: string; required?: boolean }>
  outputs?: Record<string, { description?: string }>
}
export declare function inputsTable(action: ActionYml): string
export declare function outputsTable(action: ActionYml): string
export declare function renderReadme(readme: string, actionYml: string): string
