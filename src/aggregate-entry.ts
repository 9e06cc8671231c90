// Entry of the aggregate sub-action (aggregate/action.yml → dist/aggregate.js). Without the
// scan's heap tuning (lib/startup.ts): reading many results keeps them all live, which V8's
// default heap sizing handles faster.
import { runAggregateAction } from './action/aggregate.js'

await runAggregateAction()
