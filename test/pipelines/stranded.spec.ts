/**
 * Regression (npm run chaos at 30 peers, seed 9: 100 bundles lost): bundles acked into the
 * inbound queue of a peer that does not host their stage slot in its own placement (the
 * senders' views disagreed, or the slot moved back) stayed there for good. Now the peer hands
 * them on to the slot's host once its placement settles, and they are consumed exactly once;
 * a copy handed back and forth between disagreeing views is taken back, never dropped as seen.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { EccoPeer } from '../../node/peer.js'
import { openPeerStore, type PeerStore } from '../../node/store.js'
import { BundleQueues, forwardTarget, type PipelineForwardEvent, type PipelineStepEvent } from '../../node/pipelines/index.js'
import { bundleKey, encodeBundle, parseDescriptorYaml, type Bundle, type Placement } from '../../protocols/index.js'
import { encodeDetection, loadCatalogue } from '../../unikernels/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import { addPipelinePeer, detectBroadcastYaml, fullMesh, newIssuer, pipelinesOf, samePlacement, sign } from './helpers.js'

const ID = 'stranded'
/** runs far from the detector's own, so only the injected bundles carry them */
const FIRST_RUN = 1_000_000

const bundle = (run: number, toSlot?: number): Omit<Bundle, 'version'> => ({
  pipelineId: ID,
  run: BigInt(run),
  fromStage: 'detect',
  fromSlot: 0,
  toStage: 'broadcast',
  ...(toSlot === undefined ? {} : { toSlot }),
  sequence: 0,
  payload: encodeDetection({ kind: 1, detected: true, flags: 0, confidence: 0.9, time: run, value: -3 }),
  partial: false,
  degraded: false,
  trace: { bootMs: 0, computeMs: 0, intraMs: 0, networkMs: 0, startedAtMs: Date.now(), sentAtMs: Date.now(), hops: 0 }
})

describe('stranded inbound bundles', () => {
  const mesh = new TestMesh()
  const steps: Array<PipelineStepEvent & { peer: string }> = []
  const forwarded: Array<PipelineForwardEvent & { peer: string }> = []
  let d: EccoPeer
  let host: EccoPeer
  let other: EccoPeer

  before(async () => {
    const issuer = await newIssuer()
    d = await addPipelinePeer(mesh, { name: 'd', sensors: ['road-surface-temperature', 'air-temperature', 'humidity'], trusted: [issuer.trusted] })
    const w1 = await addPipelinePeer(mesh, { name: 'w1', east: 100, roles: ['worker'], trusted: [issuer.trusted], bootstrap: [mesh.addrOf(d)] })
    const w2 = await addPipelinePeer(mesh, { name: 'w2', east: 200, roles: ['worker'], trusted: [issuer.trusted], bootstrap: [mesh.addrOf(d)] })
    const all = [d, w1, w2]
    await fullMesh(all)
    for (const p of all) {
      pipelinesOf(p).addEventListener('pipeline:step', (e) => { steps.push({ ...e.detail, peer: p.config.name ?? '?' }) })
      pipelinesOf(p).addEventListener('pipeline:forwarded', (e) => { forwarded.push({ ...e.detail, peer: p.config.name ?? '?' }) })
    }
    const desc = parseDescriptorYaml(detectBroadcastYaml(ID, { intervalMs: 500, bidWindowMs: 1000 }), 'stranded.yaml')
    const catalogue = await loadCatalogue()
    for (const s of desc.stages) if (s.image !== undefined) s.image.hash = catalogue.get(s.image.name).manifest.hash
    await pipelinesOf(d).submit(await sign(desc, issuer))
    await samePlacement(all, ID)
    const at = pipelinesOf(d).status(ID)?.placement.find((x) => x.stage === 'broadcast' && x.slot === 0)?.peer
    host = at === w1.peerId.toString() ? w1 : w2
    other = host === w1 ? w2 : w1
    // the detector's own runs stop: only the bundles below travel
    for (const inst of pipelinesOf(d).runners.get(ID)?.instances.values() ?? []) await inst.stop()
  })

  after(async () => { await mesh.stop() })

  it('a peer holding bundles for a slot hosted elsewhere hands them to the host, which consumes each once', async () => {
    const bundles = Array.from({ length: 5 }, (_, k) => bundle(FIRST_RUN + k, 0))
    const keys = bundles.map((b) => bundleKey(b))
    // a sender whose view put broadcast.0 on `other`: `other` acks them into its inbound queue
    const d$ = pipelinesOf(d)
    await d$.queues.commit({ consumed: [], outbound: bundles.map((b, k) => ({ target: other.peerId.toString(), key: keys[k], bytes: encodeBundle(b) })), local: [] })
    d$.transport.kick(other.peerId.toString())

    const consumedOf = (key: string): Array<PipelineStepEvent & { peer: string }> => steps.filter((s) => s.consumed.includes(key))
    await waitFor(() => keys.every((k) => consumedOf(k).length > 0), {
      timeoutMs: 30_000,
      message: () => `consumed ${keys.filter((k) => consumedOf(k).length > 0).length}/5; forwarded ${forwarded.map((f) => `${f.peer}:${f.keys.length}`).join(',')}`
    })
    for (const k of keys) {
      const uses = consumedOf(k)
      assert.equal(uses.length, 1, `${k} consumed ${uses.length} times`)
      assert.equal(uses[0].peer, host.config.name)
      assert.equal(uses[0].stage, 'broadcast')
      assert.equal(uses[0].slot, 0)
    }
    const handed = forwarded.filter((f) => f.peer === other.config.name)
    assert.deepEqual(handed.flatMap((f) => f.keys).sort(), [...keys].sort())
    assert.ok(handed.every((f) => f.target === host.peerId.toString()))
    assert.equal(pipelinesOf(other).transport.stats.bundlesForwarded, 5)
    assert.deepEqual((await pipelinesOf(other).queues.inbound(ID)).map((e) => e.key).filter((k) => keys.includes(k)), [], 'nothing left stranded')

    // the sender resends its retained copies to `other` (no forwarded mark): seen there, not a second live copy
    const dupBefore = pipelinesOf(other).transport.stats.duplicates
    await d$.queues.commit({ consumed: [], outbound: bundles.map((b, k) => ({ target: other.peerId.toString(), key: keys[k], bytes: encodeBundle(b) })), local: [] })
    d$.transport.kick(other.peerId.toString())
    await waitFor(() => pipelinesOf(other).transport.stats.duplicates >= dupBefore + 5, { timeoutMs: 20_000, message: () => `duplicates ${pipelinesOf(other).transport.stats.duplicates - dupBefore}` })
    assert.equal(await pipelinesOf(other).runners.get(ID)?.forwardStranded(), 0)
    for (const k of keys) assert.equal(consumedOf(k).length, 1, `${k} consumed again`)
  })
})

describe('BundleQueues: forwarding marks', () => {
  let dir: string
  let store: PeerStore
  let q: BundleQueues

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-stranded-'))
    store = await openPeerStore(dir)
    q = new BundleQueues(store.sub('queues'))
  })

  after(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('takes back a copy it handed on (ping-pong between disagreeing views), and no other copy', async () => {
    const b = bundle(7, 0)
    const key = bundleKey(b)
    const bytes = encodeBundle(b)
    assert.equal(await q.acceptInbound(key, bytes), true)
    const moved = await q.forward([{ target: 'peerB', key, bytes: encodeBundle({ ...b, forwards: 1 }) }])
    assert.equal(moved.length, 1)
    assert.deepEqual(await q.inbound(ID), [])
    assert.deepEqual((await q.outbound('peerB')).map((e) => e.key), [key])
    // the original sender's resend: seen, dropped
    assert.equal(await q.acceptInbound(key, bytes), false)
    // B hands it back: taken, once
    assert.equal(await q.acceptInbound(key, bytes, Date.now(), true), true)
    assert.equal(await q.acceptInbound(key, bytes, Date.now(), true), false, 'a second forwarded copy is a duplicate')
    assert.deepEqual((await q.inbound(ID)).map((e) => e.key), [key])
    // a bundle no longer inbound (consumed meanwhile) is not moved
    await q.commit({ consumed: [key], outbound: [], local: [] })
    assert.deepEqual(await q.forward([{ target: 'peerB', key, bytes }]), [])
  })

  it('reclaims what it queued for a slot that moved to itself, into its own inbound queue, unless seen here', async () => {
    const fresh = bundle(9, 0)
    const seen = bundle(10, 0)
    const other = { ...bundle(11, 0), toStage: 'other' }
    const entries = [fresh, seen, other].map((b) => ({ target: 'peerC', key: bundleKey(b), bytes: encodeBundle(b) }))
    await q.commit({ consumed: [], outbound: entries, local: [] })
    // one of them was acked (retained), one was seen here before
    await q.acked('peerC', [entries[1]], true)
    assert.equal(await q.acceptInbound(bundleKey(seen), encodeBundle(seen)), true)
    await q.commit({ consumed: [bundleKey(seen)], outbound: [], local: [] })
    const got = await q.reclaim(ID, 'broadcast', 'peerC')
    assert.deepEqual(got.map((e) => e.key), [bundleKey(fresh)])
    assert.ok((await q.inbound(ID)).some((e) => e.key === bundleKey(fresh)))
    assert.deepEqual((await q.outbound('peerC')).map((e) => e.key), [bundleKey(other)], 'other stages stay queued')
  })

  it('keeps one copy per follower slot: a peer that saw slot 0\'s copy still accepts slot 1\'s', async () => {
    const k0 = bundleKey(bundle(8, 0))
    const k1 = bundleKey(bundle(8, 1))
    assert.notEqual(k0, k1)
    assert.equal(await q.acceptInbound(k0, encodeBundle(bundle(8, 0))), true)
    assert.equal(await q.acceptInbound(k1, encodeBundle(bundle(8, 1))), true)
    // an older sender's bundle (no slot) keeps the old key
    assert.equal(bundleKey(bundle(8)), k0.slice(0, k0.lastIndexOf('#')))
  })
})

describe('forwardTarget', () => {
  const placement = (peers: Array<string | undefined>): Placement => ({ stages: new Map([['broadcast', peers.map((peer, slot) => ({ slot, ...(peer === undefined ? {} : { peer }) }))]]), skipped: [], digest: 'x' }) as unknown as Placement
  const b = (toSlot?: number): Bundle => ({ version: 1, ...bundle(1, toSlot) })

  it('names the slot\'s host, and keeps bundles this peer hosts or that have no live host', () => {
    assert.equal(forwardTarget(b(1), placement(['me', 'them']), 'me'), 'them')
    assert.equal(forwardTarget(b(0), placement(['me', 'them']), 'me'), undefined)
    assert.equal(forwardTarget(b(0), placement([undefined]), 'me'), undefined)
    // an older sender's bundle: any local slot of the stage takes it; among several remote slots none is right
    assert.equal(forwardTarget(b(), placement(['me', 'them']), 'me'), undefined)
    assert.equal(forwardTarget(b(), placement(['them']), 'me'), 'them')
    assert.equal(forwardTarget(b(), placement(['a', 'b']), 'me'), undefined)
  })
})
