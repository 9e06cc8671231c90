// Imported first by both entry points: ES modules are evaluated in import order, so this runs
// before the rest of the bundle's modules are evaluated and before any pod is listed.
import { tuneHeap } from './runtime.js'

tuneHeap()
