// Entry of the Action.
import './lib/startup.js'
import { run } from './action/run.js'

await run()
