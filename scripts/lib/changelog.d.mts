export declare const UNRELEASED: string
export interface Version {
  major: number
  minor: number
  patch: number
  pre: string
  version: string
}
export interface Section {
  name: string
  date: string
  start: number
  end: number
  body: string
}
export declare function parseVersion(input: string): Version
export declare function compareVersions(a: string, b: string): -1 | 0 | 1
export declare function sections(text: string): Section[]
export declare function extractSection(text: string, version: string): string
export declare function releaseChangelog(
  text: string,
  options: { version: string; date: string; repo: string }
): string
