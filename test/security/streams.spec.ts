/**
 * Stream protocols against a silent and a slow peer: a hostile node opens streams on
 * every ECCO protocol a full roadside peer serves and never writes (or drips one byte
 * at a time); the peer must cap concurrent streams per protocol and close every one of
 * them within the protocol's deadline, so nothing stays pinned.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, Stream } from '@libp2p/interface'
import { parseCheckpointsSection } from '../../node/checkpoints/config.js'
import { parsePipelinesSection } from '../../node/pipelines/config.js'
import { parseNimbusSection } from '../../node/offload/config.js'
import { DEFAULT_FEATURES } from '../../node/features.js'
import { securityFeature } from '../../node/security/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { waitFor } from '../helpers/wait.js'
import { SecureMesh, type Hostile } from './harness.js'

const P = { lat: 48.2625, lon: 11.668 }
/** the longest deadline of any ECCO stream protocol (offload: 2 x its 10 s solve timeout) plus slack */
const LONGEST_DEADLINE_MS = 30_000
const STREAMS_PER_PROTOCOL = 12
/** per-connection inbound stream limits found in the audit (protocols with a limit under STREAMS_PER_PROTOCOL) */
const LIMITS: Record<string, number> = {
  '/ecco/cert/1.0.0': 2,
  '/ecco/sync/1.0.0': 4,
  '/ecco/discovery/hello/1.1.0': 4,
  '/ecco/pipeline/1.0.0': 4,
  '/ecco/image/1.0.0': 8
}

function streamsOn (conn: Connection | undefined, protocol: string): number {
  return conn?.streams.filter((s) => s.protocol === protocol && s.status === 'open').length ?? 0
}

describe('silent and slow peers on every stream protocol', () => {
  const m = new SecureMesh()
  let target: EccoPeer
  let attacker: Hostile
  let protocols: string[] = []

  before(async () => {
    await m.init()
    target = await m.roadside({
      name: 'target',
      position: P,
      features: [securityFeature, ...DEFAULT_FEATURES],
      security: { mode: 'open' },
      // the features that serve streams: pipelines (bundle, image, control), checkpoints, offload
      sections: { pipelines: parsePipelinesSection({}, 'pipelines'), checkpoints: parseCheckpointsSection({}, 'checkpoints'), nimbus: parseNimbusSection({}, 'nimbus') }
    })
    attacker = await m.hostile()
    await attacker.dial(multiaddr(m.mesh.addrOf(target)))
    await waitFor(async () => (await attacker.peerStore.get(target.peerId)).protocols.length > 0, { timeoutMs: 10_000, message: 'identify never completed' })
    protocols = (await attacker.peerStore.get(target.peerId)).protocols.filter((p) => p.startsWith('/ecco/') && !p.startsWith('/ecco/kad/'))
  })

  after(async () => { await m.stop() })

  it('serves the ECCO protocols under test', () => {
    assert.ok(protocols.length >= 3, `protocols: ${protocols.join(', ')}`)
  })

  it('caps concurrent inbound streams and closes silent ones by their deadline', async (t) => {
    const conn = attacker.getConnections(target.peerId)[0]
    const held: Stream[] = []
    const targetConn = (): Connection | undefined => target.libp2p.getConnections(attacker.peerId)[0]
    // the peak number of streams the target holds open per protocol, sampled while they arrive
    const peak: Record<string, number> = {}
    const sample = (): void => { for (const p of protocols) peak[p] = Math.max(peak[p] ?? 0, streamsOn(targetConn(), p)) }
    const sampler = setInterval(sample, 10)
    for (const protocol of protocols) {
      for (let i = 0; i < STREAMS_PER_PROTOCOL; i++) {
        try {
          held.push(await conn.newStream(protocol, { signal: AbortSignal.timeout(2000) }))
        } catch {}
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    clearInterval(sampler)
    sample()
    for (const [p, limit] of Object.entries(LIMITS)) {
      if (protocols.includes(p)) assert.ok(peak[p] <= limit, `${p}: ${peak[p]} streams open at once, limit ${limit}`)
    }
    const started = Date.now()
    const closedAt: Record<string, number> = {}
    await waitFor(() => {
      for (const p of protocols) if (closedAt[p] === undefined && streamsOn(targetConn(), p) === 0) closedAt[p] = Date.now() - started
      return protocols.every((p) => closedAt[p] !== undefined)
    }, {
      timeoutMs: LONGEST_DEADLINE_MS,
      message: () => protocols.map((p) => `${p}: ${streamsOn(targetConn(), p)} open`).join('; ')
    })
    const closedAfterMs = Date.now() - started
    t.diagnostic(`peak streams ${JSON.stringify(peak)}; all closed after (ms) ${JSON.stringify(closedAt)}`)
    assert.ok(closedAfterMs <= LONGEST_DEADLINE_MS, `${closedAfterMs} ms`)
    for (const s of held) s.abort(new Error('done'))
    // the peer is still alive and well
    assert.equal(target.libp2p.status, 'started')
  })

  it('closes a stream that drips one byte every 500 ms by the deadline (no per-byte reset)', async () => {
    const conn = attacker.getConnections(target.peerId)[0] ?? await attacker.dial(target.peerId)
    const protocol = protocols.find((p) => p.startsWith('/ecco/sync/')) ?? protocols[0]
    const stream = await conn.newStream(protocol)
    let stop = false
    // a varint length of 2^28 announced one byte at a time, never completed
    const drip = (async function * () {
      for (const b of [0x80, 0x80, 0x80, 0x80]) { if (stop) return; yield Uint8Array.of(b); await new Promise((resolve) => setTimeout(resolve, 500)) }
      while (!stop) await new Promise((resolve) => setTimeout(resolve, 100))
    })()
    void stream.sink(drip).catch(() => {})
    const targetConn = (): Connection | undefined => target.libp2p.getConnections(attacker.peerId)[0]
    await waitFor(() => streamsOn(targetConn(), protocol) === 1, { timeoutMs: 5000, message: 'stream never arrived' })
    await waitFor(() => streamsOn(targetConn(), protocol) === 0, { timeoutMs: LONGEST_DEADLINE_MS, message: `${protocol} stream still open` })
    stop = true
  })
})
