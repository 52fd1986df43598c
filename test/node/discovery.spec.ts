/**
 * Twelve real peers on loopback (one process, in a worker thread: 12
 * processes booting at once starve a 2-core machine), placed on a grid of
 * geohash cells and given only the bootstrap address: each must find exactly
 * the peers of its own and the eight surrounding cells through the DHT. Then
 * garbage on the hello protocol: dropped, counted, and no neighbour made of it.
 */
import { after, before, describe, it } from 'node:test'
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads'
import assert from 'node:assert/strict'
import * as lp from 'it-length-prefixed'
import { pipe } from 'it-pipe'
import { cellAndNeighbours, cellCentre, decodeGeohash, encodeGeohash, Hello, HELLO_PROTOCOL, type Position } from '../../protocols/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

const PRECISION = 6
const DISCOVERY_DEADLINE_MS = 90_000

/** Deterministic bytes (xorshift32): a failing run replays with the same seed. */
function seededBytes (n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed | 0 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Sends `frames` (length-prefixed) on a fresh hello stream and ignores what comes back. */
async function sendRaw (from: EccoPeer, to: EccoPeer, chunks: Uint8Array[], framed = true): Promise<void> {
  const stream = await from.libp2p.dialProtocol(to.peerId, HELLO_PROTOCOL)
  await pipe(chunks, (s) => framed ? lp.encode(s) : s, stream.sink).catch(() => {})
}

/** Centre of the cell `dx` columns east and `dy` rows north of `origin`'s cell. */
function cellAt (origin: Position, dx: number, dy: number): Position {
  const b = decodeGeohash(encodeGeohash(origin, PRECISION))
  const c = cellCentre(encodeGeohash(origin, PRECISION))
  return { lat: c.lat + dy * (b.maxLat - b.minLat), lon: c.lon + dx * (b.maxLon - b.minLon) }
}

/** What the test needs of each peer of the mesh thread. */
interface PeerView { name: string, peerId: string, cell: string, neighbours: string[] }
type MeshRequest = { type: 'views' } | { type: 'stop' }
type MeshReply = { type: 'started' } | { type: 'views', views: PeerView[] } | { type: 'stopped' } | { type: 'error', message: string }
const MESH_ROLE = 'discovery-mesh'

/**
 * The worker side: starts the 12 peers and answers view requests. A 5x2
 * block of cells, two peers sharing the first cell; the others power up
 * together, as lampposts on one circuit, knowing only the bootstrap.
 */
async function serveMesh (port: MessagePort): Promise<void> {
  const mesh = new TestMesh()
  const origin = { lat: 48.2625, lon: 11.668 }
  const places: Position[] = [cellAt(origin, 0, 0)]
  for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 5; dx++) places.push(cellAt(origin, dx, dy))
  places.push(cellAt(origin, 2, 1))
  port.on('message', (req: MeshRequest) => {
    if (req.type === 'views') {
      port.postMessage({
        type: 'views',
        views: mesh.peers.map((p) => ({
          name: p.config.name ?? '',
          peerId: p.peerId.toString(),
          cell: encodeGeohash(p.config.position, PRECISION),
          neighbours: p.neighbours().map((n) => n.peerId).sort()
        }))
      } satisfies MeshReply)
    } else {
      void mesh.stop().finally(() => { port.postMessage({ type: 'stopped' } satisfies MeshReply) })
    }
  })
  try {
    // the DHT alone: no neighbour learnt from the registry
    const config = { cellPrecision: PRECISION, neighboursFromRegistry: false }
    const boot = await mesh.add({ name: 'p0', position: places[0], config })
    await Promise.all(places.slice(1).map(async (position, i) => await mesh.add({
      name: `p${i + 1}`, position, bootstrap: [mesh.addrOf(boot)], config
    })))
    port.postMessage({ type: 'started' } satisfies MeshReply)
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) } satisfies MeshReply)
  }
}

/** The test side of the mesh thread: one request at a time, answered in order. */
class MeshThread {
  private readonly worker: Worker
  private readonly replies: MeshReply[] = []
  private waiting?: (reply: MeshReply) => void
  private failure?: Error

  constructor () {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { role: MESH_ROLE }, execArgv: [] })
    this.worker.on('message', (reply: MeshReply) => { this.deliver(reply) })
    this.worker.on('error', (err) => { this.failure = err; this.deliver({ type: 'error', message: err.message }) })
  }

  private deliver (reply: MeshReply): void {
    const w = this.waiting
    this.waiting = undefined
    if (w !== undefined) w(reply)
    else this.replies.push(reply)
  }

  private async next (): Promise<MeshReply> {
    const queued = this.replies.shift()
    if (queued !== undefined) return queued
    return await new Promise((resolve) => { this.waiting = resolve })
  }

  private async expect<T extends MeshReply['type']> (type: T): Promise<Extract<MeshReply, { type: T }>> {
    const reply = await this.next()
    if (reply.type === 'error') throw this.failure ?? new Error(`mesh thread: ${reply.message}`)
    if (reply.type !== type) throw new Error(`mesh thread answered ${reply.type}, expected ${type}`)
    return reply as Extract<MeshReply, { type: T }>
  }

  async started (): Promise<void> { await this.expect('started') }

  async views (): Promise<PeerView[]> {
    this.worker.postMessage({ type: 'views' } satisfies MeshRequest)
    return (await this.expect('views')).views
  }

  async stop (): Promise<void> {
    this.worker.postMessage({ type: 'stop' } satisfies MeshRequest)
    try { await this.expect('stopped') } finally { await this.worker.terminate() }
  }
}

if (!isMainThread && parentPort !== null && (workerData as { role?: string } | null)?.role === MESH_ROLE) {
  void serveMesh(parentPort)
} else {
  describe('neighbour discovery over the DHT', () => {
    // The 12 peers run in a worker thread. node:test tracks every async
    // resource of a running test with async_hooks (init and destroy hooks),
    // which slows this promise-heavy stack three to four times (measured):
    // the same peers in one test thread saturated its event loop, and DHT
    // walks took tens of seconds. A worker thread has no such hooks.
    let mesh: MeshThread

    before(async () => {
      mesh = new MeshThread()
      await mesh.started()
    })

    after(async () => { await mesh.stop() })

    // The target is 10 s; speed targets live in `npm run bench:mesh`
    // (discoveryCompleteMs), so this test asserts the outcome with a deadline a
    // loaded 2-core CI machine meets, and reports the time it took.
    it('finds every geographic neighbour, and only those', async (t) => {
      const first = await mesh.views()
      const expected = new Map(first.map((p) => {
        const around = new Set(cellAndNeighbours(p.cell))
        return [p.name, first.filter((q) => q.peerId !== p.peerId && around.has(q.cell)).map((q) => q.peerId).sort()]
      }))
      // the grid must actually exercise non-neighbours, or the test proves nothing
      assert.ok([...expected.values()].some((s) => s.length < first.length - 1))
      let views = first
      const missing = (): string[] => views.flatMap((p) => {
        const found = new Set(p.neighbours)
        return (expected.get(p.name) ?? []).filter((id) => !found.has(id)).map((id) => `${p.name} lacks ${id.slice(-6)}`)
      })
      const tookMs = await waitFor(async () => {
        views = await mesh.views()
        return missing().length === 0
      }, { timeoutMs: DISCOVERY_DEADLINE_MS, intervalMs: 250, message: () => missing().join(', ') })
      t.diagnostic(`all 12 peers found all their neighbours ${tookMs} ms after the last one started`)
      for (const p of views) assert.deepEqual(p.neighbours, expected.get(p.name), `${p.name} found non-neighbours`)
    })
  })

  describe('hostile input on the hello protocol', () => {
    const mesh = new TestMesh()
    const origin = { lat: 48.2625, lon: 11.668 }
    let attacker: EccoPeer
    let target: EccoPeer

    before(async () => {
      // two peers five cells apart: not neighbours of each other
      attacker = await mesh.add({ name: 'attacker', position: cellAt(origin, 0, 0), config: { cellPrecision: PRECISION } })
      target = await mesh.add({ name: 'target', position: cellAt(origin, 5, 0), bootstrap: [mesh.addrOf(attacker)], config: { cellPrecision: PRECISION } })
    })

    after(async () => { await mesh.stop() })

    it('drops garbage, oversized, truncated and wrong-version hellos, and keeps answering', async () => {
      const stats = target.libp2p.services.discovery.stats
      const cases: Array<[string, Uint8Array[], boolean]> = [
        ['random bytes', [seededBytes(40, 7)], true],
        ['unknown version', [Hello.encode({ version: 2, cell: target.libp2p.services.discovery.cell })], true],
        ['a cell that is no geohash', [Hello.encode({ version: 1, cell: 'not a geohash!' })], true],
        ['an oversized frame', [seededBytes(500, 11)], true],
        // a 1 GiB length prefix followed by nothing: refused, not buffered
        ['a huge length prefix', [Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x04])], false],
        ['a stream closed before any hello', [], false]
      ]
      // one at a time: the protocol allows few streams at once per connection
      for (const [what, chunks, framed] of cases) {
        const before = stats.invalidMessages
        await sendRaw(attacker, target, chunks, framed)
        await waitFor(() => stats.invalidMessages > before, { timeoutMs: 15_000, message: `${what} was not counted as invalid` })
      }
      assert.equal(target.status().peerId, target.peerId.toString())
    })

    it('makes no neighbour of a hello naming a cell outside the 3x3 block', async () => {
      const far = encodeGeohash(cellAt(origin, 0, 0), PRECISION)
      const before = target.libp2p.services.discovery.stats.hellosIn
      await sendRaw(attacker, target, [Hello.encode({ version: 1, cell: far })])
      await waitFor(() => target.libp2p.services.discovery.stats.hellosIn > before, { timeoutMs: 15_000, message: 'the hello was not answered' })
      assert.deepEqual(target.neighbours().map((n) => n.peerId), [])
    })
  })

  describe('neighbours learnt from the registry', () => {
    const mesh = new TestMesh()
    const origin = { lat: 48.2625, lon: 11.668 }
    let a: EccoPeer
    let b: EccoPeer

    // two peers with no bootstrap between them: only learn() can bring them together
    before(async () => {
      a = await mesh.add({ name: 'a', position: cellAt(origin, 0, 0), config: { cellPrecision: PRECISION } })
      b = await mesh.add({ name: 'b', position: cellAt(origin, 1, 0), config: { cellPrecision: PRECISION } })
    })

    after(async () => { await mesh.stop() })

    it('remembers a peer the registry places in the 3x3 block, ignores one outside it, and only the lower PeerId dials', async () => {
      const [lo, hi] = a.peerId.toString() < b.peerId.toString() ? [a, b] : [b, a]
      const cellOf = (p: EccoPeer): string => p.libp2p.services.discovery.cell
      assert.equal(lo.libp2p.services.discovery.learn(hi.peerId, encodeGeohash(cellAt(origin, 5, 0), PRECISION), hi.libp2p.getMultiaddrs()), false)
      assert.deepEqual(lo.neighbours(), [])
      // the higher PeerId remembers but leaves the dial to the other side
      assert.equal(hi.libp2p.services.discovery.learn(lo.peerId, cellOf(lo), lo.libp2p.getMultiaddrs()), true)
      assert.deepEqual(hi.neighbours().map((n) => n.peerId), [lo.peerId.toString()])
      assert.equal(hi.libp2p.services.discovery.stats.dials, 0)
      const discovery = lo.libp2p.services.discovery
      assert.equal(discovery.learn(hi.peerId, cellOf(hi), hi.libp2p.getMultiaddrs()), true)
      assert.deepEqual(lo.neighbours().map((n) => n.peerId), [hi.peerId.toString()])
      assert.equal(discovery.stats.learned, 1)
      await waitFor(() => lo.libp2p.getConnections(hi.peerId).length > 0, { timeoutMs: 10_000, message: 'the learnt neighbour was not dialled' })
      // learning it again is no news
      assert.equal(discovery.learn(hi.peerId, cellOf(hi)), true)
      assert.equal(discovery.stats.learned, 1)
    })
  })
}
