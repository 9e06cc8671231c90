// Entry of the CLI bundle (dist/cli.js).
import './lib/startup.js'
import { main } from './cli/main.js'

process.exitCode = await main(process.argv.slice(2))
