/**
 * Checkpoints as they travel and are stored: the compact form (unikernels format 3 with a
 * 4-byte image reference, Unimem keys and step names as indices into the descriptor's
 * name table, no clock), resolved against the descriptor that always goes with it; and
 * delta checkpoints: only the Unimem entries that changed since a checkpoint the receiver
 * already holds, plus the step position (packed into StateDelta.packed). A counter's full
 * compact checkpoint is about 36 bytes, its delta about 12; a 100 KB Unimem travels once,
 * then only what the EF touched.
 */
import {
  CheckpointError, applyCheckpointDelta, decodeCheckpoint, decodeUnimemValue, encodeCheckpoint, encodeCheckpointDelta, hasShortImageRef,
  type CheckpointState, type KnownImage
} from '../../unikernels/index.js'
import { MAX_DESCRIPTOR_NAMES } from './constants.js'
import { CheckpointDeltaError } from './errors.js'
import type { InstanceDescriptor, StateDelta } from './pb/checkpoint.js'

type ImageRef = Pick<InstanceDescriptor, 'imageHash' | 'imageName'>
type NamedImage = ImageRef & { names?: string[] }

/** The image a descriptor names, for resolving short image references. */
export function imageOf (descriptor: ImageRef): KnownImage {
  return { hash: Buffer.from(descriptor.imageHash).toString('hex'), name: descriptor.imageName }
}

/**
 * Appends the step names and Unimem keys of `state` the descriptor's name table lacks
 * (append only, so checkpoints encoded against an older table still resolve; capped).
 * Returns whether the table grew.
 */
export function learnNames (descriptor: { names: string[] }, state: CheckpointState): boolean {
  const names = descriptor.names
  if (names.length >= MAX_DESCRIPTOR_NAMES) return false
  const known = new Set(names)
  const before = names.length
  const add = (n: string | undefined): void => {
    if (n === undefined || known.has(n) || names.length >= MAX_DESCRIPTOR_NAMES) return
    known.add(n)
    names.push(n)
  }
  add(state.step)
  add(state.lastStep)
  for (const [key] of state.unimem) add(key)
  return names.length > before
}

/**
 * The compact checkpoint of `state` to travel or be stored next to `descriptor`, whose
 * name table first learns the names it lacks (so the table sent or stored with it
 * resolves every ref). Without a descriptor the names go inline (still a short image
 * ref: the receiver needs the descriptor's hash anyway).
 */
export function wireCheckpoint (state: CheckpointState, descriptor?: { names: string[] }): Uint8Array {
  if (descriptor !== undefined) learnNames(descriptor, state)
  return encodeCheckpoint(state, { shortImageRef: true, names: descriptor?.names, omitClock: true })
}

/** The state of a checkpoint received or stored next to `descriptor` (either form). */
export function decodeWireCheckpoint (bytes: Uint8Array, descriptor: NamedImage): CheckpointState {
  const image = imageOf(descriptor)
  const state = decodeCheckpoint(bytes, { image, names: descriptor.names })
  if (state.imageHash !== image.hash) throw new CheckpointError(`checkpoint is for image ${state.imageHash.slice(0, 12)}, the descriptor names ${image.hash.slice(0, 12)}`)
  return state
}

/**
 * The self-describing checkpoint (what a sandbox resumes from) of one received or stored
 * next to `descriptor`; a short image reference must match the descriptor's image
 * (CheckpointError otherwise).
 */
export function fromWireCheckpoint (bytes: Uint8Array, descriptor: NamedImage): Uint8Array {
  const state = decodeWireCheckpoint(bytes, descriptor)
  if (!hasShortImageRef(bytes) && (descriptor.names ?? []).length === 0) return bytes
  return encodeCheckpoint(state)
}

/** The delta from `base` (held by the receiver at (baseEpoch, baseSeq)) to `next`. */
export function makeDelta (base: CheckpointState, next: CheckpointState, baseEpoch: number, baseSeq: number): StateDelta {
  return {
    baseEpoch: BigInt(baseEpoch),
    baseSeq: BigInt(baseSeq),
    packed: encodeCheckpointDelta(base, next, { omitClock: true }),
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

/** Applies a delta to the state it was made against; CheckpointDeltaError when it does not fit. */
export function applyDeltaToState (base: CheckpointState, delta: StateDelta): CheckpointState {
  try {
    return delta.packed !== undefined ? applyCheckpointDelta(base, delta.packed) : applyUnpacked(base, delta)
  } catch (err) {
    if (err instanceof CheckpointDeltaError) throw err
    throw new CheckpointDeltaError(`delta: ${(err as Error).message}`)
  }
}

/**
 * Applies a delta to the checkpoint bytes it was made against and returns the new
 * checkpoint in the same form: self-describing, or compact when `descriptor` (the one the
 * base is stored with) is given.
 */
export function applyDelta (baseCheckpoint: Uint8Array, delta: StateDelta, descriptor?: InstanceDescriptor): Uint8Array {
  let base: CheckpointState
  try {
    base = descriptor === undefined ? decodeCheckpoint(baseCheckpoint) : decodeWireCheckpoint(baseCheckpoint, descriptor)
  } catch (err) {
    throw new CheckpointDeltaError(`delta base: ${(err as Error).message}`)
  }
  const next = applyDeltaToState(base, delta)
  try {
    return descriptor === undefined ? encodeCheckpoint(next) : wireCheckpoint(next, descriptor)
  } catch (err) {
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
