/**
 * Delta checkpoints: only the Unimem entries that changed since a checkpoint the
 * receiver already holds, plus the step position (unikernels delta format 2, packed into
 * StateDelta.packed). A counter's delta is about 35 bytes; a 100 KB Unimem travels once,
 * then only what the EF touched. Also the short-image-ref form a full checkpoint takes
 * on the wire, next to the descriptor that names the image.
 */
import {
  CheckpointError, applyCheckpointDelta, decodeCheckpoint, decodeUnimemValue, encodeCheckpoint, encodeCheckpointDelta, hasShortImageRef,
  type CheckpointState, type KnownImage
} from '../../unikernels/index.js'
import { CheckpointDeltaError } from './errors.js'
import type { InstanceDescriptor, StateDelta } from './pb/checkpoint.js'

/** The image a descriptor names, for resolving short image references. */
export function imageOf (descriptor: Pick<InstanceDescriptor, 'imageHash' | 'imageName'>): KnownImage {
  return { hash: Buffer.from(descriptor.imageHash).toString('hex'), name: descriptor.imageName }
}

/** A state as it travels next to its descriptor: the image as a 4-byte reference. */
export function wireCheckpoint (state: CheckpointState): Uint8Array {
  return encodeCheckpoint(state, { shortImageRef: true })
}

/**
 * The self-describing checkpoint from one received next to `descriptor`; a short image
 * reference must match the descriptor's image (CheckpointError otherwise).
 */
export function fromWireCheckpoint (bytes: Uint8Array, descriptor: Pick<InstanceDescriptor, 'imageHash' | 'imageName'>): Uint8Array {
  if (!hasShortImageRef(bytes)) {
    const state = decodeCheckpoint(bytes)
    const image = imageOf(descriptor)
    if (state.imageHash !== image.hash) throw new CheckpointError(`checkpoint is for image ${state.imageHash.slice(0, 12)}, the descriptor names ${image.hash.slice(0, 12)}`)
    return bytes
  }
  return encodeCheckpoint(decodeCheckpoint(bytes, { image: imageOf(descriptor) }))
}

/** The delta from `base` (held by the receiver at (baseEpoch, baseSeq)) to `next`. */
export function makeDelta (base: CheckpointState, next: CheckpointState, baseEpoch: number, baseSeq: number): StateDelta {
  return {
    baseEpoch: BigInt(baseEpoch),
    baseSeq: BigInt(baseSeq),
    packed: encodeCheckpointDelta(base, next),
    step: '',
    lastStep: '',
    terminated: false,
    set: [],
    removed: [],
    outputSeq: 0n,
    clock: 0,
    steps: 0n
  }
}

/** Applies a delta to the full checkpoint bytes it was made against; returns the new full checkpoint. */
export function applyDelta (baseCheckpoint: Uint8Array, delta: StateDelta): Uint8Array {
  let base: CheckpointState
  try {
    base = decodeCheckpoint(baseCheckpoint)
  } catch (err) {
    throw new CheckpointDeltaError(`delta base: ${(err as Error).message}`)
  }
  try {
    return encodeCheckpoint(delta.packed !== undefined ? applyCheckpointDelta(base, delta.packed) : applyUnpacked(base, delta))
  } catch (err) {
    if (err instanceof CheckpointDeltaError) throw err
    throw new CheckpointDeltaError(`delta: ${(err as Error).message}`)
  }
}

/** Format 1 spelling of a delta (named fields, protobuf Unimem values). */
function applyUnpacked (base: CheckpointState, delta: StateDelta): CheckpointState {
  const unimem = new Map(base.unimem)
  for (const key of delta.removed) unimem.delete(key)
  for (const { key, value } of delta.set) {
    try {
      unimem.set(key, decodeUnimemValue(value))
    } catch (err) {
      throw new CheckpointDeltaError(`delta.set["${key}"]: ${(err as Error).message}`)
    }
  }
  return {
    imageHash: base.imageHash,
    imageName: base.imageName,
    step: delta.step === '' ? undefined : delta.step,
    lastStep: delta.lastStep === '' ? undefined : delta.lastStep,
    terminated: delta.terminated,
    unimem: [...unimem],
    outputSeq: Number(delta.outputSeq),
    clock: delta.clock,
    steps: Number(delta.steps)
  }
}
