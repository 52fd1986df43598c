/**
 * When a replica may drop its copy of a checkpoint: only once a newer copy is stored on
 * another peer. A host claim alone (an attach that claimed an epoch and then failed) must
 * not make the only copies collectable: the chaos run lost a stateful stage that way.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CheckpointHolders, type ReplicaRecord } from '../../protocols/index.js'
import { supersededByStored } from '../../node/checkpoints/replica-store.js'

const instance = 'black-ice/broadcast.0'
const record = (epoch: number, seq: number): ReplicaRecord => ({
  instance, epoch: BigInt(epoch), seq: BigInt(seq), checkpoint: new Uint8Array(0), outbox: [], replicaSet: [], host: 'h1', storedAt: 0
})

describe('replica copies collected', () => {
  it('not on a newer host claim alone, only once a newer copy is stored elsewhere', () => {
    const holders = new CheckpointHolders()
    holders.recordHeld(instance, 'me', 1, 28)
    holders.recordHeld(instance, 'other', 1, 28)
    // a new host claims epoch 2 and fails before storing anything
    holders.claimHost(instance, 'h2', 2)
    assert.equal(supersededByStored(record(1, 28), holders.holders(instance), 'me'), false)
    // our own record never supersedes itself
    holders.recordHeld(instance, 'me', 2, 1)
    assert.equal(supersededByStored(record(1, 28), holders.holders(instance), 'me'), false)
    // the new host's first checkpoint lands on another replica
    holders.recordHeld(instance, 'other', 2, 1)
    assert.equal(supersededByStored(record(1, 28), holders.holders(instance), 'me'), true)
    assert.equal(supersededByStored(record(2, 1), holders.holders(instance), 'me'), false)
  })
})
