/**
 * The data plane (issue 4 item 5): /ecco/bundle/1.1.0 acks only persisted
 * bundles, drops duplicates by (pipeline, run, from, to, sequence), rejects
 * frames that do not decode; the persisted queues survive a reopen and
 * re-target to a substitute.
 */
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipe } from 'it-pipe'
import * as lp from 'it-length-prefixed'
import { AckStatus, BUNDLE_PROTOCOL, BundleAck, bundleKey, encodeBundle, sendBundles, serveBundles, type Bundle } from '../../protocols/index.js'
import { BundleQueues } from '../../node/pipelines/index.js'
import { openPeerStore } from '../../node/store.js'
import { TestMesh } from '../helpers/mesh.js'

const bundle = (run: number, seq = 0): Omit<Bundle, 'version'> => ({
  pipelineId: 'demo', run: BigInt(run), fromStage: 'a', fromSlot: 0, toStage: 'b', sequence: seq, payload: new Uint8Array([run, seq]), partial: false, degraded: false
})

describe('bundle protocol', () => {
  const mesh = new TestMesh()
  after(async () => { await mesh.stop() })

  it('persists then acks, drops duplicates, rejects garbage', async () => {
    const a = await mesh.add({ name: 'a', position: { lat: 48.26, lon: 11.66 }, features: [] })
    const b = await mesh.add({ name: 'b', position: { lat: 48.26, lon: 11.661 }, bootstrap: [mesh.addrOf(a)], features: [] })
    const queues = new BundleQueues(b.store.sub('queues'))
    await b.libp2p.handle(BUNDLE_PROTOCOL, ({ stream }) => {
      void serveBundles(stream, async (x, raw) => ({ status: await queues.acceptInbound(bundleKey(x), raw) ? AckStatus.ACK_STORED : AckStatus.ACK_DUPLICATE }))
    })
    const frames = [bundle(1), bundle(1, 1), bundle(2)].map(encodeBundle)
    const acks = await sendBundles(await a.libp2p.dialProtocol(b.peerId, BUNDLE_PROTOCOL), frames)
    assert.deepEqual(acks.map((x) => x.status), [AckStatus.ACK_STORED, AckStatus.ACK_STORED, AckStatus.ACK_STORED])
    assert.equal((await queues.inbound('demo')).length, 3)
    const again = await sendBundles(await a.libp2p.dialProtocol(b.peerId, BUNDLE_PROTOCOL), [frames[1], encodeBundle(bundle(3))])
    assert.deepEqual(again.map((x) => x.status), [AckStatus.ACK_DUPLICATE, AckStatus.ACK_STORED])
    // a frame that is no Bundle is refused and the stream goes on
    const stream = await a.libp2p.dialProtocol(b.peerId, BUNDLE_PROTOCOL)
    const replies: BundleAck[] = []
    await pipe([new Uint8Array([0xff, 0xff, 0xff]), encodeBundle(bundle(4))], (s) => lp.encode(s), stream, (s) => lp.decode(s), async (s) => {
      for await (const f of s) replies.push(BundleAck.decode(f.subarray()))
    })
    assert.deepEqual(replies.map((r) => r.status), [AckStatus.ACK_REJECTED, AckStatus.ACK_STORED])
    assert.match(replies[0].reason, /Bundle/)
  })
})

describe('persisted bundle queues', () => {
  let dir = ''
  after(async () => { if (dir !== '') await rm(dir, { recursive: true, force: true }) })

  it('keeps outbound bundles across a reopen, retargets them, and retains acked ones for a substitute', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-queues-'))
    let store = await openPeerStore(dir)
    let q = new BundleQueues(store.sub('queues'))
    const entries = [bundle(1), bundle(2), { ...bundle(3), toStage: 'c' }].map((b) => ({ target: 'peerX', key: bundleKey(b), bytes: encodeBundle(b) }))
    await q.commit({ consumed: [], outbound: entries, local: [] })
    await store.close()
    store = await openPeerStore(dir)
    q = new BundleQueues(store.sub('queues'))
    assert.deepEqual(await q.targets(), ['peerX'])
    const out = await q.outbound('peerX')
    assert.equal(out.length, 3)
    await q.acked('peerX', [out[0]], true)
    assert.equal(await q.retarget('demo', 'b', 'peerX', 'peerY'), 2, 'one queued and one retained bundle for stage b move')
    assert.deepEqual((await q.outbound('peerY')).map((e) => e.key).sort(), [out[0].key, out[1].key].sort())
    assert.deepEqual((await q.outbound('peerX')).map((e) => e.key), [out[2].key])
    assert.equal(await q.dropPipeline('demo'), 3)
    await store.close()
  })
})
