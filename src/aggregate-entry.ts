// Entry of the aggregate sub-action (aggregate/action.yml → dist/aggregate.js), and of the
// worker threads it reads results on (store/result-files.ts). Without the scan's heap tuning
// (lib/startup.ts): reading many results keeps them all live, which V8's default heap sizing
// handles faster.
import { runAggregateAction } from './action/aggregate.js'
import { serveResultReads } from './store/result-files.js'

if (!serveResultReads()) await runAggregateAction()
