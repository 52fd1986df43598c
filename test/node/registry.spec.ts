/**
 * The replicated registry on real peers: convergence, liveness from
 * heartbeats, restart with the same identity, and a partition that heals.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { offsetMetres } from '../../protocols/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

const HEARTBEAT_MS = 1000
const origin = { lat: 48.2625, lon: 11.668 }

function converged (peers: EccoPeer[]): boolean {
  const digests = new Set(peers.map((p) => p.libp2p.services.state.digest()))
  return digests.size === 1 && peers.every((p) => p.registry().length >= peers.length)
}

function describeDigests (peers: EccoPeer[]): string {
  return peers.map((p) => `${p.config.name ?? ''}:${p.libp2p.services.state.digest().slice(0, 8)}/${p.registry().length}`).join(' ')
}

/** livePeers() by its definition: the registry's entries live here, sorted */
function liveInRegistry (p: EccoPeer): string[] {
  return p.registry().filter((e) => e.live).map((e) => e.peerId).sort()
}

describe('registry gossip', () => {
  const mesh = new TestMesh()
  let names: string[] = []
  const sum = (k: 'suspicions' | 'refutations'): number => mesh.peers.reduce((n, p) => n + p.libp2p.services.state.stats.beats[k], 0)

  before(async () => {
    const boot = await mesh.add({ name: 'r0', position: origin, heartbeatMs: HEARTBEAT_MS })
    for (let i = 1; i < 6; i++) {
      await mesh.add({ name: `r${i}`, position: offsetMetres(origin, 0, i * 150), bootstrap: [mesh.addrOf(boot)], heartbeatMs: HEARTBEAT_MS })
    }
    names = mesh.peers.map((p) => p.config.name ?? '')
  })

  after(async () => { await mesh.stop() })

  it('converges to equal digests with every peer live', async () => {
    await waitFor(() => converged(mesh.peers), { timeoutMs: 10_000, message: () => describeDigests(mesh.peers) })
    // all six stand within 750 m: each discovers the other five
    await waitFor(() => mesh.peers.every((p) => p.neighbours().length === mesh.peers.length - 1), {
      timeoutMs: 10_000,
      message: () => mesh.peers.map((p) => `${p.config.name ?? ''}:${p.neighbours().length}`).join(' ')
    })
    // an entry can arrive (sync, a relayed announcement) a moment before its peer's first beat
    const liveNames = (p: EccoPeer): string[] => p.registry().filter((e) => e.live).map((e) => e.state.name).sort()
    await waitFor(() => mesh.peers.every((p) => liveNames(p).length === names.length), {
      timeoutMs: 10_000,
      message: () => mesh.peers.map((p) => `${p.config.name ?? ''}:${liveNames(p).join(',')}`).join(' ')
    })
    for (const p of mesh.peers) assert.deepEqual(liveNames(p), [...names].sort())
  })

  it('declares nobody gone when its own event loop stalls for longer than the gone deadline', async () => {
    await waitFor(() => converged(mesh.peers) && mesh.peers.every((p) => p.registry().every((e) => e.live)), { timeoutMs: 15_000, message: () => describeDigests(mesh.peers) })
    const gone: string[] = []
    const controller = new AbortController()
    for (const p of mesh.peers) p.addEventListener('peer:gone', (evt) => { gone.push(`${p.config.name ?? ''} saw ${evt.detail.peerId} gone`) }, { signal: controller.signal })
    const ticks = mesh.peers.map((p) => p.libp2p.services.state.stats.heartbeats)
    const stalled = mesh.peers.map((p) => p.libp2p.services.state.stats.stalledMs)
    // every peer shares this process: blocking it stalls them all, as a loaded host would
    const blockedUntil = Date.now() + 5 * HEARTBEAT_MS
    while (Date.now() < blockedUntil) { /* busy: nothing is read, no timer fires */ }
    await waitFor(() => mesh.peers.every((p, i) => p.libp2p.services.state.stats.heartbeats >= ticks[i] + 4), { timeoutMs: 15_000, message: 'heartbeats stalled' })
    controller.abort()
    assert.deepEqual(gone, [])
    mesh.peers.forEach((p, i) => { assert.ok(p.libp2p.services.state.stats.stalledMs - stalled[i] >= 3 * HEARTBEAT_MS, `${p.config.name ?? ''} did not count the stall`) })
  })

  it('takes a connection closed without notice for a suspicion that is refuted: nobody is declared gone', async () => {
    const [a, b] = mesh.peers
    const controller = new AbortController()
    const gone: string[] = []
    for (const p of mesh.peers) p.addEventListener('peer:gone', (evt) => { gone.push(`${p.config.name ?? ''} saw ${evt.detail.peerId} gone`) }, { signal: controller.signal })
    const before = { suspicions: sum('suspicions'), refutations: sum('refutations') }
    const ticks = a.libp2p.services.state.stats.heartbeats
    await a.libp2p.hangUp(b.peerId)
    await waitFor(() => sum('suspicions') > before.suspicions, { timeoutMs: 5_000, message: 'nobody suspected the peer whose connection closed' })
    await waitFor(() => sum('refutations') > before.refutations, { timeoutMs: 10_000, message: 'the suspicion was never refuted' })
    // past the suspicion's deadline (a gone period) and two heartbeats
    await waitFor(() => a.libp2p.services.state.stats.heartbeats >= ticks + 3 + 2, { timeoutMs: 15_000, message: 'heartbeats stalled' })
    controller.abort()
    assert.deepEqual(gone, [])
  })

  it('suspects nobody when a connection is released before it is closed, as the connection budget does', async () => {
    const [a, b] = mesh.peers
    await waitFor(() => mesh.peers.every((p) => p.libp2p.services.state.livePeers().length === mesh.peers.length), { timeoutMs: 10_000, message: 'not every peer live' })
    const before = sum('suspicions')
    const ticks = a.libp2p.services.state.stats.heartbeats
    for (const c of a.libp2p.getConnections(b.peerId)) {
      await a.libp2p.services.state.release(c, { signal: AbortSignal.timeout(1000) })
      await c.close()
    }
    await waitFor(() => a.libp2p.services.state.stats.heartbeats >= ticks + 3 + 2, { timeoutMs: 15_000, message: 'heartbeats stalled' })
    assert.equal(sum('suspicions'), before)
  })

  it('marks a stopped peer gone within 3 heartbeats + 1 s, and live again after restart with the same PeerId', async () => {
    const victim = mesh.peers[3]
    const id = victim.peerId.toString()
    const dataDir = victim.config.dataDir
    const others = mesh.peers.filter((p) => p !== victim)
    await mesh.remove(victim)
    const stoppedAt = Date.now()
    await waitFor(() => others.every((p) => p.registry().find((e) => e.peerId === id)?.live === false), {
      timeoutMs: 3 * HEARTBEAT_MS + 1000 + HEARTBEAT_MS, // the check itself runs once per heartbeat
      message: 'victim still live somewhere'
    })
    assert.ok(Date.now() - stoppedAt <= 3 * HEARTBEAT_MS + 1000 + HEARTBEAT_MS)
    // livePeers() is kept, not recomputed: it must follow the transitions
    for (const p of others) {
      assert.deepEqual(p.libp2p.services.state.livePeers(), liveInRegistry(p))
      assert.ok(!p.libp2p.services.state.livePeers().includes(id))
      assert.equal(p.libp2p.services.state.livePeers(), p.libp2p.services.state.livePeers(), 'the same array while nothing changed')
    }

    const again = await mesh.add({ name: 'r3', position: victim.config.position, dataDir, bootstrap: [mesh.addrOf(others[0])], heartbeatMs: HEARTBEAT_MS })
    assert.equal(again.peerId.toString(), id, 'restarted peer keeps its PeerId')
    assert.ok(again.registry().length >= mesh.peers.length - 1, 'the registry was reloaded from LevelDB')
    await waitFor(() => others.every((p) => p.libp2p.services.state.isLive(id)), { timeoutMs: 10_000, message: 'restarted peer not live everywhere' })
    for (const p of others) assert.deepEqual(p.libp2p.services.state.livePeers(), liveInRegistry(p))
    await waitFor(() => converged(mesh.peers), { timeoutMs: 10_000, message: () => describeDigests(mesh.peers) })
    await waitFor(() => mesh.peers.every((p) => p.neighbours().filter((n) => n.connected).length === mesh.peers.length - 1), { timeoutMs: 10_000, message: 'restarted peer not reconnected to its neighbours' })
  })

  it('heals a partition to identical registries', async () => {
    const left = mesh.peers.slice(0, 3)
    const right = mesh.peers.slice(3)
    await mesh.partition(left, right)
    // each side changes state while cut off
    left[0].libp2p.services.state.updateLoad({ pipelines: 7 })
    right[0].libp2p.services.state.updateLoad({ pipelines: 9 })
    const rightIds = right.map((p) => p.peerId.toString())
    await waitFor(() => left.every((p) => rightIds.every((id) => !p.libp2p.services.state.isLive(id))), {
      timeoutMs: 10_000, message: 'partition not observed'
    })
    await waitFor(() => converged(left) && converged(right), { timeoutMs: 10_000, message: () => describeDigests(mesh.peers) })
    assert.notEqual(left[0].libp2p.services.state.digest(), right[0].libp2p.services.state.digest())

    mesh.heal()
    await left[0].libp2p.dial(right[0].libp2p.getMultiaddrs()[0])
    await waitFor(() => converged(mesh.peers), { timeoutMs: 15_000, message: () => describeDigests(mesh.peers) })
    for (const p of mesh.peers) {
      assert.equal(p.registry().find((e) => e.peerId === left[0].peerId.toString())?.state.load?.pipelines, 7)
      assert.equal(p.registry().find((e) => e.peerId === right[0].peerId.toString())?.state.load?.pipelines, 9)
    }
  })

  it('counts a killed peer gone everywhere within a gone period and four heartbeats', async () => {
    const victim = mesh.peers[mesh.peers.length - 1]
    const id = victim.peerId.toString()
    const others = mesh.peers.filter((p) => p !== victim)
    await waitFor(() => others.every((p) => p.libp2p.services.state.isLive(id)), { timeoutMs: 10_000, message: 'victim not live everywhere' })
    // connections reset, no goodbye: like a process killed or a cabinet losing power
    await victim.kill()
    await mesh.remove(victim)
    await waitFor(() => others.every((p) => !p.libp2p.services.state.isLive(id)), {
      timeoutMs: 3 * HEARTBEAT_MS + 4 * HEARTBEAT_MS,
      message: 'killed peer still live somewhere'
    })
  })
})

describe('beat vectors relayed with a fanout of three', () => {
  const mesh = new TestMesh()

  before(async () => {
    const boot = await mesh.add({ name: 'f0', position: origin, heartbeatMs: HEARTBEAT_MS, config: { beatFanout: 3 } })
    for (let i = 1; i < 6; i++) {
      await mesh.add({ name: `f${i}`, position: offsetMetres(origin, 0, i * 150), bootstrap: [mesh.addrOf(boot)], heartbeatMs: HEARTBEAT_MS, config: { beatFanout: 3 } })
    }
  })

  after(async () => { await mesh.stop() })

  it('keeps every peer live though each tells three of its five members per heartbeat, and still notices a stopped one', async () => {
    await waitFor(() => converged(mesh.peers) && mesh.peers.every((p) => p.registry().every((e) => e.live)), { timeoutMs: 15_000, message: () => describeDigests(mesh.peers) })
    const gone: string[] = []
    for (const p of mesh.peers) p.addEventListener('peer:gone', (evt) => { gone.push(`${p.config.name ?? ''} saw ${evt.detail.peerId} gone`) })
    const stats = (p: EccoPeer): { heartbeats: number, vectorsOut: number } => ({ heartbeats: p.libp2p.services.state.stats.heartbeats, vectorsOut: p.libp2p.services.state.stats.beats.vectorsOut })
    const before = mesh.peers.map(stats)
    // twice the time after which a silent peer is declared gone
    await waitFor(() => mesh.peers.every((p, i) => stats(p).heartbeats >= before[i].heartbeats + 6), { timeoutMs: 15_000, message: 'heartbeats stalled' })
    assert.deepEqual([...gone], [])
    mesh.peers.forEach((p, i) => {
      const now = stats(p)
      // five members, fanout three, each told within three heartbeats: three vectors per heartbeat
      assert.ok(now.vectorsOut - before[i].vectorsOut <= 3 * (now.heartbeats - before[i].heartbeats), `${p.config.name ?? ''} sent more than three vectors per heartbeat`)
    })

    const victim = mesh.peers[2]
    const id = victim.peerId.toString()
    await mesh.remove(victim)
    await waitFor(() => mesh.peers.every((p) => p.libp2p.services.state.isLive(id) === false), {
      timeoutMs: 3 * HEARTBEAT_MS + 1000 + HEARTBEAT_MS, message: 'stopped peer still live somewhere'
    })
    assert.deepEqual(gone.filter((g) => !g.endsWith(`${id} gone`)), [])
  })
})
