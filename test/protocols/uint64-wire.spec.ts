/**
 * 64-bit varints on the wire, at the boundaries of their 32-bit halves. protons-runtime
 * 5.6 / 7.1 wrote a uint64 in [2^31, 2^32) as one byte of the five it reserved, leaving
 * four bytes of pooled memory in the message: a roadside unit past 2 GiB of RSS announced
 * a PeerState that did not decode, and every peer rejected (and penalised) it. The fix is
 * patches/protons-runtime+*.patch, applied by `npm ci` (postinstall).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodePeerState, Load, PeerState } from '../../protocols/index.js'

const boundaries = [0n, 127n, 128n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 31n + 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]
const load = (memoryRssBytes: bigint): Load => ({ runningEdgeFunctions: 0, pipelines: 0, queuedBundles: 0, offloadClients: 0, cpuPermille: 600, memoryRssBytes })

describe('uint64 fields on the wire', () => {
  it('round-trip at every 32-bit boundary', () => {
    for (const v of boundaries) assert.equal(Load.decode(Load.encode(load(v))).memoryRssBytes, v, `memoryRssBytes ${v}`)
  })

  it('leave no uninitialised bytes: the encoding of 2^31 does not depend on the buffer pool', () => {
    // dirty the pool first, as a busy peer does
    for (let i = 0; i < 1000; i++) Load.encode(load(0xffffffffffn))
    const a = Load.encode(load(2n ** 31n + 5n))
    assert.equal(Buffer.from(a).toString('hex'), '28d804308580808008')
  })

  it('a peer past 2 GiB of RSS announces a PeerState that decodes', () => {
    const state: PeerState = {
      version: 1, name: 'lamp-29', lat: 48.2, lon: 11.6, cell: 'u286e3', tier: 1, sensors: [], radios: [],
      load: load(2n ** 31n + 32n * 1024n * 1024n), multiaddrs: ['/ip4/127.0.0.1/tcp/40405'], startedAt: 1795810804020n, roles: ['roadside']
    }
    assert.deepEqual(decodePeerState(PeerState.encode(state)).load, state.load)
  })
})
