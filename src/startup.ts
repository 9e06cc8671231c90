// Imported first by both entry points: ES modules are evaluated in import order, so this runs
// before the rest of the bundle's modules are evaluated and before any pod is listed. (Loading
// the bundle itself may already have grown the young generation once; from here on it stays.)
import { keepYoungGenerationSmall } from './runtime.js'

keepYoungGenerationSmall()
