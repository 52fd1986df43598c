/**
 * A shard entry for test/sim-net/shards.spec.ts: sim-net's bare calibration
 * peers, and a sensor hook that kills lamp-01's whole shard, as a crash of
 * the thread would.
 */
import { createBarePeerFactory, runSimShard } from '../../sim-net/index.js'

await runSimShard(() => ({
  peers: createBarePeerFactory(),
  sensors: {
    // the hook is called for every live peer: one of them takes its shard down
    conditionStarted: async (peer) => { if (peer.name === 'lamp-01') process.exit(7) },
    conditionEnded: async () => {}
  }
}))
