#!/usr/bin/env node
/**
 * sim-net: runs scenarios with real ECCO peers. The emulator lives in
 * sim-net/ and never imports node/; this entry point hands it the factories.
 */
import { runSimNetCli } from '../../sim-net/index.js'
import { simFactories } from '../sim/factories.js'

process.exitCode = await runSimNetCli(process.argv.slice(2), simFactories())
