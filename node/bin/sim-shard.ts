/**
 * One shard of a one-process sim-net run: a worker thread started by sim-net's
 * shard runtime, hosting many peers with the same factories as a peer
 * process. Not meant to be run by hand.
 */
import { runSimShard } from '../../sim-net/index.js'
import { simChildFactories } from '../sim/processes.js'

await runSimShard(simChildFactories)
