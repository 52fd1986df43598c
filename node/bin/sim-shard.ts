/**
 * One shard of a one-process sim-net run: a worker thread started by sim-net's
 * shard runtime, hosting many peers with the same factories as a peer
 * process. Not meant to be run by hand.
 */
import { runSimShard } from '../../sim-net/index.js'
import { simChildFactories } from '../sim/processes.js'
import { tuneBufferPool } from '../runtime.js'

// the V8 flags tuneHeapForPeers sets are the process's, set by the orchestrator; the Buffer pool is this thread's
tuneBufferPool()

await runSimShard(simChildFactories)
