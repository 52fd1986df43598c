#!/usr/bin/env node
/**
 * sim-net: runs scenarios with real ECCO peers. The emulator lives in
 * sim-net/ and never imports node/; this entry point hands it the factories:
 * node/sim's one-process ones, with `--shards` the same peers in worker
 * threads (node/bin/sim-shard.ts), or with `--processes` the multi-process
 * ones (one OS process per peer, node/bin/sim-peer.ts).
 *
 * The first SIGINT or SIGTERM ends the run early (peers stopped, report
 * written, status "aborted"); a second one exits at once. Either way no peer
 * process outlives this one: the runtime kills them on exit, and each exits
 * when its IPC channel closes.
 */
import { runSimNetCli } from '../../sim-net/index.js'
import { simFactories } from '../sim/factories.js'
import { simProcessFactories } from '../sim/processes.js'
import { SIM_SEMI_SPACE_MB, tuneHeapForPeers } from '../runtime.js'

tuneHeapForPeers({ semiSpaceMb: SIM_SEMI_SPACE_MB })

const controller = new AbortController()
let signals = 0
const onSignal = (signal: NodeJS.Signals): void => {
  if (signals++ > 0) process.exit(130)
  process.stderr.write(`\nsim-net: ${signal}: stopping the run (again to exit now)\n`)
  controller.abort(new Error(`interrupted by ${signal}`))
}
const argv = process.argv.slice(2)
// only a run has peers to stop and a report to write; other commands keep the default signal handling
if (argv[0] === 'run' || argv[0] === 'demo') {
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

process.exitCode = await runSimNetCli(argv, (mode, { shards }) => mode === 'multi-process' || shards !== undefined ? simProcessFactories(shards === undefined ? {} : { shards }) : simFactories(), { signal: controller.signal })
