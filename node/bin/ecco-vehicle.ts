#!/usr/bin/env node
import { vehicleMain } from '../vehicle/cli.js'

process.exitCode = await vehicleMain(process.argv.slice(2))
