/**
 * @packageDocumentation
 * `/ecco/checkpoint/3.0.0`: checkpoints of stateful EF instances streamed to k replica
 * peers (closest to the instance key in DHT key space), output commit to a sink,
 * live-migration transfer, and the holders CRDT (max registers of who holds which
 * (epoch, step seq), and the fencing epoch of every instance).
 *
 * @example
 * ```ts
 * const net = new CheckpointNetwork({ libp2p })
 * await net.start(async (msg, from) => ({ kind: CheckpointMessage.Kind.STORED, epoch: msg.epoch, seq: msg.seq }))
 * const replicas = chooseReplicas('counter-1', livePeers, 2, myPeerId)
 * await net.request(replicas[0], { kind: CheckpointMessage.Kind.STORE, instance: 'counter-1', epoch: 1n, seq: 4n, checkpoint })
 * ```
 */
export { CHECKPOINT_PROTOCOL, CHECKPOINT_WIRE_VERSION, CHECKPOINT_TOPIC, HOLDERS_DOCUMENT, CHECKPOINT_ROLE } from './constants.js'
export { answerId } from './session.js'
export * from './errors.js'
export { instanceKey, compareDistance, orderByDistance, chooseReplicas, chooseResumer } from './replicas.js'
export { makeDelta, applyDelta, applyDeltaToState, imageOf, learnNames, wireCheckpoint, decodeWireCheckpoint, fromWireCheckpoint } from './delta.js'
export { CheckpointHolders, claimWins } from './holders.js'
export type { HolderVersion, EpochClaim } from './holders.js'
export { CheckpointNetwork, message as checkpointMessage, decodeCheckpointMessage, errorOf, errorAnswer } from './network.js'
export type { CheckpointNetworkComponents, CheckpointNetworkInit, CheckpointNetworkStats, CheckpointRequestHandler, CheckpointRequestOptions } from './network.js'
export { CheckpointMessage, InstanceDescriptor, ReplicaRecord, StageMarks, StateDelta, StateEntry, Output as EfOutputRecord } from './pb/checkpoint.js'
