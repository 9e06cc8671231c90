// The Action's one published name (owner/name on GitHub). README.md, docs/, examples/, the
// workflows and the CHANGELOG's links use exactly this; __tests__/unit/docs.test.ts fails on any
// other owner of a pod-cleaner-action, so a fork changes it here and runs `npm run docs`.
export const ACTION_REPO = 'pod-cleaner/pod-cleaner-action'
