/**
 * When a replica counts an instance's host as running: the registry's liveness, or a store
 * from that host within a liveness timeout. After a heal the registry lags for a few
 * heartbeats; a replica filled in that window must not resume (and fence) the instance.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ReplicaRecord } from '../../protocols/index.js'
import { hostUp } from '../../node/checkpoints/failover.js'

const heartbeatMs = 1000
const goneAfterHeartbeats = 3
const record = (host: string, epoch: number, storedAt: number): ReplicaRecord => ({
  instance: 'counter-iso', epoch: BigInt(epoch), seq: 5n, checkpoint: new Uint8Array(0), outbox: [], replicaSet: [], host, storedAt
})
const view = (live: string[]): Parameters<typeof hostUp>[0] => ({
  self: 'me',
  isLive: (p: string) => p === 'me' || live.includes(p),
  peer: { config: { heartbeatMs, goneAfterHeartbeats } } as unknown as Parameters<typeof hostUp>[0]['peer']
})

describe('failover: is the host up', () => {
  const now = 100_000
  it('a store from the host within the liveness timeout counts, whatever the registry says', () => {
    assert.equal(hostUp(view([]), record('d', 1, now - 500), { epoch: 1, host: 'd' }, now), true)
  })
  it('an old store does not: the registry decides', () => {
    assert.equal(hostUp(view([]), record('d', 1, now - 3000), { epoch: 1, host: 'd' }, now), false)
    assert.equal(hostUp(view(['d']), record('d', 1, now - 3000), { epoch: 1, host: 'd' }, now), true)
  })
  it('a store from an earlier host or epoch says nothing about the current claim', () => {
    assert.equal(hostUp(view([]), record('d', 1, now - 100), { epoch: 2, host: 'e' }, now), false)
    assert.equal(hostUp(view([]), record('d', 1, now - 100), { epoch: 2, host: 'd' }, now), false)
  })
  it('our own claim is never a running host to defer to', () => {
    assert.equal(hostUp(view([]), record('me', 1, now), { epoch: 1, host: 'me' }, now), false)
  })
})
