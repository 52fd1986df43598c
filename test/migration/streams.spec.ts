/**
 * Stream limits of /ecco/checkpoint/3.0.0 between two real libp2p peers: requests share
 * one session stream per peer, a peer that opens streams and never writes does not pin
 * them (the read timeout closes them), a session may not run more than maxPending
 * requests at once, and oversized frames are refused.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Stream } from '@libp2p/interface'
import { CHECKPOINT_PROTOCOL, CheckpointMessage, CheckpointNetwork, checkpointMessage, openChannel } from '../../protocols/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

const READ_TIMEOUT_MS = 300
const MAX_INBOUND = 4
const MAX_PENDING = 8
const MAX_FRAME = 2048

describe('checkpoint protocol stream limits', () => {
  const mesh = new TestMesh()
  let a: EccoPeer
  let b: EccoPeer
  let client: CheckpointNetwork
  let server: CheckpointNetwork
  let slowAnswers = 0

  before(async () => {
    a = await mesh.add({ name: 'a', position: { lat: 48.26, lon: 11.66 }, features: [] })
    b = await mesh.add({ name: 'b', position: { lat: 48.2605, lon: 11.66 }, bootstrap: [mesh.addrOf(a)], features: [] })
    server = new CheckpointNetwork({ libp2p: b.libp2p }, { readTimeoutMs: READ_TIMEOUT_MS, maxInboundStreams: MAX_INBOUND, maxPending: MAX_PENDING, maxFrameBytes: MAX_FRAME })
    await server.start(async (msg) => {
      // PREPARE stands for a slow handler (a sandbox boot)
      if (msg.kind === CheckpointMessage.Kind.PREPARE) { await new Promise((resolve) => setTimeout(resolve, 200)); slowAnswers++ }
      return { kind: CheckpointMessage.Kind.STORED, epoch: msg.epoch, seq: msg.seq }
    })
    client = new CheckpointNetwork({ libp2p: a.libp2p }, { readTimeoutMs: READ_TIMEOUT_MS, maxPending: MAX_PENDING, maxFrameBytes: MAX_FRAME })
  })
  after(async () => {
    await server.stop()
    await mesh.stop()
  })

  const inboundStreams = (): Stream[] => b.libp2p.getConnections(a.peerId).flatMap((c) => c.streams).filter((s) => s.protocol === CHECKPOINT_PROTOCOL && s.direction === 'inbound')

  it('requests share one session stream, concurrent ones beyond maxPending wait their turn', async () => {
    const to = b.peerId.toString()
    for (let i = 1; i <= 20; i++) {
      const r = await client.request(to, { kind: CheckpointMessage.Kind.STORE, instance: 'x', epoch: 1n, seq: BigInt(i) })
      assert.equal(r.seq, BigInt(i), 'answer matched to its request')
    }
    const many = await Promise.all(Array.from({ length: 3 * MAX_PENDING }, async (_, i) => await client.request(to, { kind: CheckpointMessage.Kind.STORE, instance: 'x', epoch: 2n, seq: BigInt(i) })))
    assert.deepEqual(many.map((r) => r.seq), Array.from({ length: 3 * MAX_PENDING }, (_, i) => BigInt(i)))
    assert.equal(client.stats.sessionsOpened, 1)
    assert.equal(inboundStreams().length, 1)
    // idle for half the read timeout: the opener closes its session before the server would
    await waitFor(() => inboundStreams().length === 0, { timeoutMs: 5 * READ_TIMEOUT_MS, message: () => `${inboundStreams().length} session streams left open` })
    assert.equal(server.stats.sessionsTimedOut, 0, 'the opener closed first')
  })

  it('a peer that opens streams and never writes does not pin them', async () => {
    const timedOut = server.stats.sessionsTimedOut
    const silent: Stream[] = []
    for (let i = 0; i < MAX_INBOUND; i++) silent.push(await a.libp2p.dialProtocol(b.peerId, CHECKPOINT_PROTOCOL))
    await waitFor(() => inboundStreams().length === MAX_INBOUND, { timeoutMs: 5000, message: 'silent streams not open on the server' })
    // every slot is taken now; the read timeout frees them
    await waitFor(() => inboundStreams().length === 0, { timeoutMs: 10 * READ_TIMEOUT_MS, message: () => `${inboundStreams().length} silent streams still pinned` })
    assert.equal(server.stats.sessionsTimedOut - timedOut, MAX_INBOUND)
    await waitFor(() => silent.every((s) => s.status !== 'open'), { timeoutMs: 5000, message: 'the opener still sees its silent streams open' })
    const r = await client.request(b.peerId.toString(), { kind: CheckpointMessage.Kind.STORE, instance: 'x', epoch: 3n, seq: 1n })
    assert.equal(r.kind, CheckpointMessage.Kind.STORED, 'a well-behaved peer is served afterwards')
  })

  it('a session that runs more than maxPending requests at once, or sends an oversized frame, is aborted', async () => {
    const invalid = server.stats.invalidMessages
    const flood = await a.libp2p.dialProtocol(b.peerId, CHECKPOINT_PROTOCOL)
    const ch = openChannel(flood, { maxFrameBytes: MAX_FRAME, timeoutMs: 5000 })
    for (let i = 1; i <= MAX_PENDING + 1; i++) ch.write(CheckpointMessage.encode(checkpointMessage({ kind: CheckpointMessage.Kind.PREPARE, instance: 'x', id: i })))
    await waitFor(() => flood.status !== 'open', { timeoutMs: 5000, message: 'flooding session still open' })
    assert.equal(server.stats.invalidMessages - invalid, 1)

    const big = await a.libp2p.dialProtocol(b.peerId, CHECKPOINT_PROTOCOL)
    openChannel(big, { maxFrameBytes: 4 * MAX_FRAME, timeoutMs: 5000 }).write(new Uint8Array(MAX_FRAME + 1))
    await waitFor(() => big.status !== 'open', { timeoutMs: 5000, message: 'oversized frame did not close the session' })
    assert.equal(server.stats.invalidMessages - invalid, 2)
    const r = await client.request(b.peerId.toString(), { kind: CheckpointMessage.Kind.STORE, instance: 'x', epoch: 4n, seq: 1n })
    assert.equal(r.kind, CheckpointMessage.Kind.STORED)
  })

  it('a request over the frame limit fails at the sender, and a slow answer does not hold up the others', async () => {
    const to = b.peerId.toString()
    const slow = client.request(to, { kind: CheckpointMessage.Kind.PREPARE, instance: 'x' })
    const t0 = performance.now()
    await client.request(to, { kind: CheckpointMessage.Kind.STORE, instance: 'x', epoch: 5n, seq: 1n })
    assert.ok(performance.now() - t0 < 150, 'answered while the slow request was still running')
    await slow
    assert.ok(slowAnswers >= 1)
    await assert.rejects(client.request(to, { kind: CheckpointMessage.Kind.STORE, instance: 'x', checkpoint: new Uint8Array(MAX_FRAME) }, { timeoutMs: 1000 }))
  })
})
