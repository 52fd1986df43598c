#!/usr/bin/env node
/**
 * One peer of a multi-process sim-net run: forked by `sim-net run
 * --processes` (sim-net's process runtime), driven over the IPC channel, and
 * gone as soon as that channel closes. Not meant to be run by hand.
 */
import { PeerProcessProtocolError, runSimPeerChild } from '../../sim-net/index.js'
import { simChildFactories } from '../sim/processes.js'
import { tuneHeapForPeers } from '../runtime.js'

tuneHeapForPeers()

try {
  await runSimPeerChild(simChildFactories)
} catch (err) {
  if (!(err instanceof PeerProcessProtocolError)) throw err
  process.stderr.write(`sim-peer: ${err.message}\n`)
  process.exitCode = 2
}
