/**
 * Delta checkpoints: only the Unimem entries that changed since a checkpoint the
 * receiver already holds, plus the step position. A counter's delta is a few dozen
 * bytes; a 100 KB Unimem travels once, then only what the EF touched.
 */
import { decodeCheckpoint, decodeUnimemValue, encodeCheckpoint, encodeUnimemValue, type CheckpointState } from '../../unikernels/index.js'
import { CheckpointDeltaError } from './errors.js'
import type { StateDelta } from './pb/checkpoint.js'

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** Encoded Unimem values by key, for comparing two checkpoints entry by entry. */
export function encodedEntries (state: CheckpointState): Map<string, Uint8Array> {
  return new Map(state.unimem.map(([k, v]) => [k, encodeUnimemValue(v)]))
}

/**
 * The delta from `base` (held by the receiver at (baseEpoch, baseSeq)) to `next`.
 * `baseEntries` may be passed when the caller already has them encoded.
 */
export function makeDelta (base: Map<string, Uint8Array>, next: CheckpointState, nextEntries: Map<string, Uint8Array>, baseEpoch: number, baseSeq: number): StateDelta {
  const set: StateDelta['set'] = []
  for (const [key, value] of nextEntries) {
    const old = base.get(key)
    if (old === undefined || !equalBytes(old, value)) set.push({ key, value })
  }
  const removed = [...base.keys()].filter((k) => !nextEntries.has(k))
  return {
    baseEpoch: BigInt(baseEpoch),
    baseSeq: BigInt(baseSeq),
    step: next.step ?? '',
    lastStep: next.lastStep ?? '',
    terminated: next.terminated,
    set,
    removed,
    outputSeq: BigInt(next.outputSeq),
    clock: next.clock,
    steps: BigInt(next.steps)
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
  const unimem = new Map(base.unimem)
  for (const key of delta.removed) unimem.delete(key)
  for (const { key, value } of delta.set) {
    try {
      unimem.set(key, decodeUnimemValue(value))
    } catch (err) {
      throw new CheckpointDeltaError(`delta.set["${key}"]: ${(err as Error).message}`)
    }
  }
  return encodeCheckpoint({
    imageHash: base.imageHash,
    imageName: base.imageName,
    step: delta.step === '' ? undefined : delta.step,
    lastStep: delta.lastStep === '' ? undefined : delta.lastStep,
    terminated: delta.terminated,
    unimem: [...unimem],
    outputSeq: Number(delta.outputSeq),
    clock: delta.clock,
    steps: Number(delta.steps)
  })
}
