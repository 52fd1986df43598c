#!/usr/bin/env node
import { main } from '../cli/main.js'
import { tuneHeapForPeers } from '../runtime.js'

tuneHeapForPeers()

process.exitCode = await main(process.argv.slice(2))
