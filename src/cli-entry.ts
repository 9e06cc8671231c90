// Entry of the CLI bundle (dist/cli.js).
import './startup.js'
import { main } from './cli.js'

process.exitCode = await main(process.argv.slice(2))
