#!/usr/bin/env node
import { vehicleMain } from '../vehicle/cli.js'
import { tuneHeapForPeers } from '../runtime.js'

tuneHeapForPeers()

process.exitCode = await vehicleMain(process.argv.slice(2))
