/**
 * The connection budget (protocols/discovery/budget.ts) on real libp2p nodes
 * over loopback TCP: past the budget it closes the newest connections this
 * peer dialled that nothing needs, and never a near neighbour, a kept-alive
 * peer, a connection with a stream in use, or one the other side dialled; of
 * two connections between one pair only the lower PeerId closes its own.
 * kad-dht's keep-alive alone does not keep a connection: its tag is dropped,
 * and a running budget drops it as soon as it is set, so neither side redials.
 * Each close is announced first (`beforeClose`), so liveness suspects nobody.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { KEEP_ALIVE, type Libp2p } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { ConnectionBudget, type ConnectionBudgetInit } from '../../protocols/index.js'
import { waitFor } from '../helpers/wait.js'

const BUSY = '/test/busy/1.0.0'

async function node (): Promise<Libp2p> {
  const n = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  // the remote end of a busy stream keeps it open
  await n.handle(BUSY, () => {})
  return n
}

function budgetOf (n: Libp2p, init: Partial<ConnectionBudgetInit>): ConnectionBudget {
  return new ConnectionBudget({
    peerId: n.peerId,
    connectionManager: { getConnections: (peer) => n.getConnections(peer) },
    peerStore: n.peerStore,
    events: n,
    logger: defaultLogger()
  }, { maxConnections: 3, intervalMs: 60_000, minAgeMs: 0, idleProtocols: [], protectedPeers: () => new Set(), ...init })
}

const remotes = (n: Libp2p): Set<string> => new Set(n.getConnections().map((c) => c.remotePeer.toString()))

describe('connection budget', () => {
  const nodes: Libp2p[] = []
  after(async () => { await Promise.all(nodes.map(async (n) => { await n.stop() })) })

  describe('past the budget', () => {
    let hub: Libp2p
    let out: Libp2p[]
    let dialler: Libp2p
    before(async () => {
      hub = await node()
      out = await Promise.all(Array.from({ length: 6 }, node))
      dialler = await node()
      nodes.push(hub, ...out, dialler)
      // dialled one after another, so "newest" is well defined
      for (const o of out) await hub.dial(o.getMultiaddrs()[0])
      await dialler.dial(hub.getMultiaddrs()[0])
      await hub.peerStore.merge(out[1].peerId, { tags: { [`${KEEP_ALIVE}-test`]: { value: 1 } } })
      await hub.dialProtocol(out[2].peerId, BUSY)
    })

    it('closes the newest unneeded connections it dialled, and only those', async () => {
      const budget = budgetOf(hub, { protectedPeers: () => new Set([out[0].peerId.toString()]) })
      const closed = await budget.prune()
      assert.equal(closed, 3)
      assert.deepEqual(budget.stats, { pruned: 3, duplicates: 0 })
      await waitFor(() => remotes(hub).size === 4, { timeoutMs: 10_000, message: 'pruned connections closed' })
      // kept: the protected neighbour, the kept-alive peer, the busy stream, the inbound connection
      assert.deepEqual(remotes(hub), new Set([out[0], out[1], out[2], dialler].map((n) => n.peerId.toString())))
      // within the budget nothing more goes, however needless
      assert.equal(await budgetOf(hub, { maxConnections: 4 }).prune(), 0)
    })

    it('leaves young connections alone', async () => {
      const extra = await node()
      nodes.push(extra)
      await hub.dial(extra.getMultiaddrs()[0])
      assert.equal(await budgetOf(hub, { maxConnections: 1, minAgeMs: 60_000 }).prune(), 0)
    })
  })

  it("drops kad-dht's keep-alive tag as soon as it is set, and leaves every other tag", async () => {
    const hub = await node()
    const kad = await node()
    nodes.push(hub, kad)
    const budget = budgetOf(hub, {})
    budget.start()
    try {
      await hub.peerStore.merge(kad.peerId, { tags: { [`${KEEP_ALIVE}-kad-dht`]: { value: 1 }, 'kad-close': { value: 50 }, [`${KEEP_ALIVE}-test`]: { value: 1 } } })
      await waitFor(async () => !(await hub.peerStore.get(kad.peerId)).tags.has(`${KEEP_ALIVE}-kad-dht`), { timeoutMs: 5_000, message: 'kad-dht keep-alive still set' })
      const tags = (await hub.peerStore.get(kad.peerId)).tags
      assert.equal(tags.has('kad-close'), true)
      assert.equal(tags.has(`${KEEP_ALIVE}-test`), true)
    } finally {
      budget.stop()
    }
  })

  it("closes a peer kept alive only by kad-dht's closest-peers tag, and drops the tag so libp2p does not redial", async () => {
    const hub = await node()
    const kad = await node()
    const other = await node()
    nodes.push(hub, kad, other)
    await hub.dial(kad.getMultiaddrs()[0])
    await hub.dial(other.getMultiaddrs()[0])
    await hub.peerStore.merge(kad.peerId, { tags: { [`${KEEP_ALIVE}-kad-dht`]: { value: 1 }, 'kad-close': { value: 50 } } })
    await hub.peerStore.merge(other.peerId, { tags: { [`${KEEP_ALIVE}-test`]: { value: 1 } } })
    const budget = budgetOf(hub, { maxConnections: 0 })
    assert.equal(await budget.prune(), 1)
    await waitFor(() => hub.getConnections(kad.peerId).length === 0, { timeoutMs: 10_000, message: 'kad-dht peer closed' })
    const tags = (await hub.peerStore.get(kad.peerId)).tags
    assert.equal(tags.has(`${KEEP_ALIVE}-kad-dht`), false)
    // its ranking tag stays: only the keep-alive goes
    assert.equal(tags.has('kad-close'), true)
    assert.equal(hub.getConnections(other.peerId).length, 1)
  })

  it('of two connections between a pair, the lower PeerId closes the newer one it dialled, releasing it first', async () => {
    const a = await node()
    const b = await node()
    nodes.push(a, b)
    const [low, high] = a.peerId.toString() < b.peerId.toString() ? [a, b] : [b, a]
    await high.dial(low.getMultiaddrs()[0])
    await low.dial(high.getMultiaddrs()[0], { force: true })
    await waitFor(() => low.getConnections().length === 2 && high.getConnections().length === 2, { timeoutMs: 10_000, message: 'two connections' })
    // the higher side never closes a duplicate: both ends acting would close both
    const higher = budgetOf(high, { maxConnections: 100 })
    assert.equal(await higher.prune(), 0)
    // liveness hears of a close on purpose before it happens (protocols/state's release)
    const released: string[] = []
    const lower = budgetOf(low, { maxConnections: 100, beforeClose: async (c) => { released.push(`${c.direction} ${c.status}`) } })
    assert.equal(await lower.prune(), 1)
    assert.deepEqual(lower.stats, { pruned: 0, duplicates: 1 })
    assert.deepEqual(released, ['outbound open'])
    await waitFor(() => low.getConnections().length === 1 && high.getConnections().length === 1, { timeoutMs: 10_000, message: 'one connection left' })
    assert.equal(low.getConnections()[0].direction, 'inbound')
  })
})
