/**
 * The long-lived bundle streams of /ecco/bundle/1.1.0 (issue 4, per-hop overhead): every
 * batch to a target goes on one stream; a stream reset mid-batch is replaced and the
 * unacked bundles go again with no loss and no second delivery; a sender closes its idle
 * stream before the receiver would; hostile input (a frame that is no Bundle, an oversized
 * frame, a sender that never reads its acks, a silent stream, too many streams) is dropped
 * and counted.
 */
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { pipe } from 'it-pipe'
import * as lp from 'it-length-prefixed'
import type { Stream } from '@libp2p/interface'
import { AckStatus, BUNDLE_PROTOCOL, BundleAck, bundleKey, encodeBundle, MAX_BUNDLE_BYTES, MAX_UNREAD_ACKS, type Bundle } from '../../protocols/index.js'
import { BundleQueues } from '../../node/pipelines/index.js'
import { BundleTransport, type BundleTransportInit } from '../../node/pipelines/transport.js'
import type { EccoPeer } from '../../node/peer.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

const POS = { lat: 48.2625, lon: 11.668 }

const bundle = (run: number, seq = 0): Omit<Bundle, 'version'> => ({
  pipelineId: 'demo', run: BigInt(run), fromStage: 'a', fromSlot: 0, toStage: 'b', sequence: seq, payload: new Uint8Array([run & 0xff, seq & 0xff]), partial: false, degraded: false
})

interface Node {
  peer: EccoPeer
  id: string
  queues: BundleQueues
  transport: BundleTransport
  /** accept() calls per key: the receiver hands a bundle on once, or it was delivered twice */
  delivered: Map<string, number>
  /** when set, accept() of a key waits for it (a receiver busy mid-batch) */
  hold?: (key: string) => Promise<void>
}

async function node (mesh: TestMesh, name: string, east: number, bootstrap: EccoPeer | undefined, init: BundleTransportInit = {}): Promise<Node> {
  const peer = await mesh.add({ name, position: { lat: POS.lat, lon: POS.lon + east / 74_000 }, features: [], ...(bootstrap === undefined ? {} : { bootstrap: [mesh.addrOf(bootstrap)] }) })
  const queues = new BundleQueues(peer.store.sub('queues'))
  const n: Node = { peer, id: peer.peerId.toString(), queues, delivered: new Map(), transport: undefined as unknown as BundleTransport }
  n.transport = new BundleTransport(peer, queues, async (_b, key) => {
    n.delivered.set(key, (n.delivered.get(key) ?? 0) + 1)
    await n.hold?.(key)
    return 'ok'
  }, false, init)
  await n.transport.start()
  return n
}

/** Queues `runs` bundles from `from` to `to` (as a stage step would) and kicks the pump. */
async function queue (from: Node, to: Node, runs: number[]): Promise<string[]> {
  const outbound = runs.map((r) => { const b = bundle(r); return { target: to.id, key: bundleKey(b), bytes: encodeBundle(b) } })
  await from.queues.commit({ consumed: [], outbound, local: [] })
  from.transport.kick(to.id)
  return outbound.map((o) => o.key)
}

/** Open bundle streams of `from`'s connections to `to`. */
const bundleStreams = (from: EccoPeer, to: EccoPeer): Stream[] =>
  from.libp2p.getConnections(to.peerId).flatMap((c) => c.streams).filter((s) => s.protocol === BUNDLE_PROTOCOL && s.status === 'open')

async function drained (from: Node, to: Node, expect: number): Promise<void> {
  await waitFor(async () => to.delivered.size === expect && await from.queues.countOutbound() === 0, {
    timeoutMs: 20_000,
    message: () => `delivered ${to.delivered.size} of ${expect}; stats ${JSON.stringify(from.transport.stats)} / ${JSON.stringify(to.transport.stats)}`
  })
}

describe('bundle streams (/ecco/bundle/1.1.0)', () => {
  const mesh = new TestMesh()
  const nodes: Node[] = []
  after(async () => {
    for (const n of nodes) await n.transport.stop()
    await mesh.stop()
  })
  const add = async (name: string, east: number, bootstrap?: EccoPeer, init?: BundleTransportInit): Promise<Node> => {
    const n = await node(mesh, name, east, bootstrap, init)
    nodes.push(n)
    return n
  }

  it('sends every batch to a target on one stream', async () => {
    const a = await add('a', 0, undefined)
    const b = await add('b', 10, a.peer)
    let dials = 0
    const dial = a.peer.libp2p.dialProtocol.bind(a.peer.libp2p)
    a.peer.libp2p.dialProtocol = async (...args: Parameters<typeof dial>) => { dials++; return await dial(...args) }
    for (let round = 0; round < 6; round++) {
      await queue(a, b, [round * 10 + 1, round * 10 + 2, round * 10 + 3])
      await drained(a, b, (round + 1) * 3)
    }
    assert.equal(dials, 1, 'one dial for six batches')
    assert.equal(a.transport.stats.streamsOpened, 1)
    assert.equal(b.transport.stats.streamsServed, 1)
    assert.equal(bundleStreams(a.peer, b.peer).length, 1, 'the stream stays open for the next batch')
    assert.equal(a.transport.stats.bundlesOut, 18)
    assert.ok([...b.delivered.values()].every((n) => n === 1))
  })

  it('closes an idle stream from the sender side and opens a new one for the next batch', async () => {
    const a = await add('idle-a', 20, undefined, { idleTimeoutMs: 400 })
    const b = await add('idle-b', 30, a.peer)
    await queue(a, b, [1])
    await drained(a, b, 1)
    await waitFor(() => bundleStreams(a.peer, b.peer).length === 0 && bundleStreams(b.peer, a.peer).length === 0, { timeoutMs: 5000, message: 'the idle stream was not closed' })
    await queue(a, b, [2])
    await drained(a, b, 2)
    assert.equal(a.transport.stats.streamsOpened, 2)
    assert.equal(b.transport.stats.idleTimeouts, 0, 'the sender closed it before the receiver timed it out')
    assert.equal(a.transport.stats.sendFailures, 0)
  })

  it('replaces a stream reset mid-batch: nothing lost, nothing delivered twice', async () => {
    const c = await add('c', 40, undefined)
    const d = await add('d', 50, c.peer)
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => { release = resolve })
    let held: string | undefined
    // the receiver persisted the 10th bundle and stalls before acking it
    d.hold = async (key) => {
      if (d.delivered.size !== 10 || held !== undefined) return
      held = key
      await released
    }
    const keys = await queue(c, d, Array.from({ length: 150 }, (_, i) => i + 1))
    await waitFor(() => held !== undefined, { timeoutMs: 10_000, message: 'the receiver never stalled' })
    const inbound = bundleStreams(d.peer, c.peer)
    assert.equal(inbound.length, 1)
    inbound[0].abort(new Error('test: reset mid-batch'))
    release()
    await drained(c, d, 150)
    assert.deepEqual([...d.delivered.keys()].sort(), [...keys].sort())
    assert.ok([...d.delivered.values()].every((n) => n === 1), 'no bundle handed on twice')
    assert.equal((await d.queues.inbound('demo')).length, 150, 'every bundle persisted once')
    assert.ok(d.transport.stats.duplicates >= 1, 'the persisted but unacked bundle came again and was dropped')
    assert.ok(c.transport.stats.sendFailures >= 1)
    assert.equal(c.transport.stats.streamsOpened, 2, 'the broken stream was replaced once')
    assert.equal(c.transport.stats.bundlesOut, 150)
  })

  it('drops and counts hostile input: a frame that is no Bundle, an oversized frame, silent and surplus streams', async () => {
    // idle timeout long enough that the surplus stream is negotiated while both silent ones still stand
    const e = await add('e', 60, undefined, { idleTimeoutMs: 2000, maxInboundStreams: 2 })
    const f = await mesh.add({ name: 'f', position: { lat: POS.lat, lon: POS.lon + 70 / 74_000 }, bootstrap: [mesh.addrOf(e.peer)], features: [] })
    // every stream on one connection: the stream limit is per connection, and discovery may open a second one
    const conn = await f.libp2p.dial(e.peer.peerId)
    const open = async (): Promise<Stream> => await conn.newStream(BUNDLE_PROTOCOL)
    const endOf = async (s: Stream): Promise<void> => { try { for await (const _ of s.source) { /* drain */ } } catch { /* reset */ } }

    // garbage, then a good bundle on the same stream: the first is refused, the stream goes on
    const replies: BundleAck[] = []
    await pipe([new Uint8Array([0xff, 0xff, 0xff]), encodeBundle(bundle(7))], (s) => lp.encode(s), await open(), (s) => lp.decode(s), async (s) => {
      for await (const x of s) replies.push(BundleAck.decode(x.subarray()))
    })
    assert.deepEqual(replies.map((r) => r.status), [AckStatus.ACK_REJECTED, AckStatus.ACK_STORED])
    assert.equal(e.transport.stats.invalid, 1)

    // a length prefix over the frame limit ends the stream before the body is read
    const big = await open()
    const bigEnded = endOf(big)
    void big.sink([varint(MAX_BUNDLE_BYTES + 1), new Uint8Array(16)]).catch(() => {})
    await waitFor(() => e.transport.stats.violations === 1, { timeoutMs: 5000, message: 'the oversized frame was not counted' })
    await bigEnded
    assert.equal(e.transport.stats.bundlesIn, 1)

    // a sender that never reads its acks: once the stream's window is full they pile up
    // on the receiver, which ends the stream past MAX_UNREAD_ACKS instead of holding them
    const deaf = await open()
    const bad = encodeBundle({ ...bundle(8), pipelineId: 'X'.repeat(80) })
    void pipe(Array.from({ length: 20_000 }, () => bad), (s) => lp.encode(s), deaf.sink).catch(() => {})
    // about 1 MB of acks (yamux window and socket buffers) before they pile up: a few seconds
    await waitFor(() => e.transport.stats.violations === 2, { timeoutMs: 40_000, message: () => `violations ${e.transport.stats.violations}, invalid ${e.transport.stats.invalid}` })
    assert.ok(e.transport.stats.invalid > MAX_UNREAD_ACKS)
    deaf.abort(new Error('test: done'))

    // silent streams end after the idle timeout; one over the per-connection limit is refused
    // every earlier stream gone from the connection (the per-connection limit counts them until then)
    // on both sides: the receiver's end of the deaf stream may still await its idle timeout
    const bundleStreamsOn = (p: EccoPeer, remote: EccoPeer): boolean => p.libp2p.getConnections(remote.peerId).some((c) => c.streams.some((x) => x.protocol === BUNDLE_PROTOCOL))
    const anyBundleStream = (): boolean => bundleStreamsOn(e.peer, f) || bundleStreamsOn(f, e.peer)
    await waitFor(() => !anyBundleStream(), { timeoutMs: 10_000, message: 'earlier streams still on the connection' })
    // and every earlier stream's answering loop done (one still waiting could end by an idle timeout below)
    await waitFor(() => e.transport.stats.streamsServing === 0, { timeoutMs: 10_000, message: () => `${e.transport.stats.streamsServing} earlier streams still answered` })
    // counted from here: on a loaded machine an earlier stream may end by its idle timeout too
    const idle0 = e.transport.stats.idleTimeouts
    const served0 = e.transport.stats.streamsServed
    const t0 = Date.now()
    const silent = [await open(), await open()]
    const ends = silent.map(endOf)
    const surplus = await open().catch(() => undefined)
    if (surplus !== undefined) await endOf(surplus)
    await Promise.all(ends)
    assert.ok(Date.now() - t0 >= 400, `silent streams ended after ${Date.now() - t0} ms, before the idle timeout`)
    await waitFor(() => e.transport.stats.idleTimeouts - idle0 === 2, { timeoutMs: 5000, message: () => `idle timeouts since the silent streams opened: ${e.transport.stats.idleTimeouts - idle0}, served ${e.transport.stats.streamsServed - served0}, surplus ${surplus === undefined ? "refused" : "opened"}` })
    assert.equal(e.transport.stats.streamsServed - served0, 2, 'the two silent streams were served; the surplus one never reached the handler')
  })
})

/** A protobuf-style unsigned varint, as it-length-prefixed writes a frame length. */
function varint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80) }
  out.push(n)
  return new Uint8Array(out)
}
