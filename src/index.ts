// Entry of the Action.
import './startup.js'
import { run } from './main.js'

await run()
