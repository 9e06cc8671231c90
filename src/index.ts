// Entry of the Action.
import { run } from './main.js'

await run()
