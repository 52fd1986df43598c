/**
 * Garbage on every topic and stream protocol of the foundation: a real
 * attacker node speaks gossipsub and /ecco/sync/1.0.0 to a real peer, which
 * must drop and count every bad message and keep working.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { PubSub } from '@libp2p/interface'
import * as lp from 'it-length-prefixed'
import { pipe } from 'it-pipe'
import { BEATS_PROTOCOL, BeatVector, STATE_TOPIC, StateAnnouncement, SYNC_PROTOCOL, PeerState } from '../../protocols/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

type Attacker = Libp2p<{ pubsub: PubSub, identify: unknown }>

function randomBytes (n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed >>> 0
  for (let i = 0; i < n; i++) { x = (x * 1664525 + 1013904223) >>> 0; out[i] = x >>> 24 }
  return out
}

describe('hostile input on the foundation protocols', () => {
  const mesh = new TestMesh()
  let target: EccoPeer
  let attacker: Attacker

  before(async () => {
    target = await mesh.add({ name: 'target', position: { lat: 48.1, lon: 11.5 } })
    attacker = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: {
        identify: identify(),
        pubsub: gossipsub({ globalSignaturePolicy: 'StrictSign', allowPublishToZeroTopicPeers: true })
      }
    }) as unknown as Attacker
    await attacker.start()
    await attacker.dial(target.libp2p.getMultiaddrs()[0])
    attacker.services.pubsub.subscribe(STATE_TOPIC)
    await waitFor(() => attacker.services.pubsub.getSubscribers(STATE_TOPIC).some((p) => p.equals(target.peerId)), {
      timeoutMs: 10_000, message: 'target never subscribed'
    })
  })

  after(async () => {
    await attacker?.stop()
    await mesh.stop()
  })

  it('drops and counts malformed, truncated, oversized and forged state announcements', async () => {
    const valid = StateAnnouncement.encode({ version: 1, heartbeat: 1n, delta: new Uint8Array(0), digest: 'x' })
    const forgedOther = StateAnnouncement.encode({ version: 1, heartbeat: 2n, delta: randomBytes(40, 7), digest: 'y' })
    const payloads = [
      randomBytes(64, 1), // garbage
      valid.subarray(0, valid.length - 2), // truncated
      StateAnnouncement.encode({ version: 99, heartbeat: 1n, delta: new Uint8Array(0), digest: '' }), // unknown version
      randomBytes(70 * 1024, 3), // oversized
      forgedOther
    ]
    const before = target.libp2p.services.state.stats.invalidMessages
    for (const p of payloads) await attacker.services.pubsub.publish(STATE_TOPIC, p)
    await waitFor(() => target.libp2p.services.state.stats.invalidMessages >= before + payloads.length, {
      timeoutMs: 10_000, message: () => `invalid=${target.libp2p.services.state.stats.invalidMessages}`
    })
    assert.equal(target.registry().length, 1, 'nothing from the attacker entered the registry')
    assert.match(target.metricsText(), /ecco_bad_messages_dropped_total\{protocol="state"\} [1-9]/)
  })

  it('survives garbage, truncated frames and oversized length prefixes on /ecco/sync/1.0.0', async () => {
    const stats = target.libp2p.services.sync.stats
    const before = stats.invalidMessages
    const frames: Uint8Array[][] = [
      [randomBytes(100, 9)],
      [PeerState.encode({ version: 1, name: 'x', lat: 0, lon: 0, cell: '', tier: 1, sensors: [], radios: [], multiaddrs: [], startedAt: 0n, roles: [] })]
    ]
    for (const f of frames) {
      const stream = await attacker.dialProtocol(target.peerId, SYNC_PROTOCOL)
      await pipe(f, (s) => lp.encode(s), stream.sink).catch(() => {})
    }
    // a length prefix of 1 GiB followed by nothing: must be refused, not buffered
    const huge = await attacker.dialProtocol(target.peerId, SYNC_PROTOCOL)
    await pipe([Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x04])], huge.sink).catch(() => {})
    await waitFor(() => stats.invalidMessages >= before + 3, { timeoutMs: 10_000, message: () => `invalid=${stats.invalidMessages}` })
    // still serving
    assert.equal(target.status().peerId, target.peerId.toString())
  })
})

describe('hostile input on /ecco/state/beats/2.0.0', () => {
  const mesh = new TestMesh()
  let target: EccoPeer
  let member: EccoPeer
  let third: EccoPeer

  before(async () => {
    target = await mesh.add({ name: 'target', position: { lat: 48.1, lon: 11.5 } })
    member = await mesh.add({ name: 'member', position: { lat: 48.1, lon: 11.501 }, bootstrap: [mesh.addrOf(target)] })
    third = await mesh.add({ name: 'third', position: { lat: 48.1, lon: 11.502 }, bootstrap: [mesh.addrOf(target)] })
    await waitFor(() => mesh.peers.every((p) => p.libp2p.services.state.livePeers().length === 3), {
      timeoutMs: 15_000, message: 'the three peers never saw each other live'
    })
  })

  after(async () => { await mesh.stop() })

  /** One frame per fresh stream: a bad frame ends its stream. */
  async function send (frame: Uint8Array): Promise<void> {
    const stream = await member.libp2p.dialProtocol(target.peerId, BEATS_PROTOCOL)
    await pipe([frame], (s) => lp.encode(s), stream.sink).catch(() => {})
  }

  const vector = (v: Partial<BeatVector>): Uint8Array => BeatVector.encode({ version: 2, intros: [], indexes: [], ages: [], base: BigInt(Date.now()), digest: '', suspectIndexes: [], suspectAges: [], suspectGoneIn: [], ...v })

  it('counts garbage, unknown versions, unintroduced indexes and ragged vectors, and keeps the member live', async () => {
    const stats = target.libp2p.services.state.stats
    const before = stats.invalidMessages
    const frames = [
      randomBytes(80, 21),
      vector({ version: 7 }),
      vector({ indexes: [3], ages: [0] }),
      vector({ intros: [{ index: 0, peer: member.peerId.toMultihash().bytes }], indexes: [0, 0], ages: [1] }),
      vector({ intros: [{ index: 0, peer: randomBytes(12, 5) }], indexes: [0], ages: [0] }),
      vector({ intros: [{ index: 0, peer: member.peerId.toMultihash().bytes }], suspectIndexes: [0], suspectAges: [0], suspectGoneIn: [] }),
      vector({ suspectIndexes: [4], suspectAges: [0], suspectGoneIn: [0] })
    ]
    for (const f of frames) await send(f)
    await waitFor(() => stats.invalidMessages >= before + frames.length, { timeoutMs: 10_000, message: () => `invalid=${stats.invalidMessages - before}` })
    assert.equal(target.libp2p.services.state.isLive(member.peerId), true)
  })

  it('gives a forged suspicion of a live peer time to be refuted, even one claiming no time left: it never looks gone', async () => {
    const state = target.libp2p.services.state
    const gone: string[] = []
    const controller = new AbortController()
    state.addEventListener('peer:gone', (evt) => { gone.push(evt.detail.peerId) }, { signal: controller.signal })
    const refuted = state.stats.beats.refutations
    await send(vector({ intros: [{ index: 0, peer: third.peerId.toMultihash().bytes }], suspectIndexes: [0], suspectAges: [0], suspectGoneIn: [0] }))
    await waitFor(() => state.stats.beats.refutations > refuted, { timeoutMs: 5_000, message: 'the forged suspicion was never refuted' })
    controller.abort()
    assert.deepEqual(gone, [])
    assert.equal(state.isLive(third.peerId), true)
  })

  it('ignores a beat from the future, which would otherwise hide the real ones', async () => {
    const id = member.peerId.toString()
    await send(vector({ intros: [{ index: 0, peer: member.peerId.toMultihash().bytes }], indexes: [0], ages: [0], base: BigInt(Date.now() + 3_600_000) }))
    const lastSeen = (): number => target.libp2p.services.state.getEntry(id)?.lastSeen ?? 0
    // the forged beat may account for one advance at most; the second must be a real beat
    const first = lastSeen()
    await waitFor(() => lastSeen() > first, { timeoutMs: 5_000, message: 'no beat counted' })
    const second = lastSeen()
    await waitFor(() => lastSeen() > second, { timeoutMs: 5_000, message: 'the real beats stopped counting' })
  })
})
