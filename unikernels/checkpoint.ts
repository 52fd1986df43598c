// Checkpoint codec: the protobuf form of a stateful EF's state after an atomic step.
import { CHECKPOINT_VERSION, MAX_CHECKPOINT_BYTES, MAX_UNIMEM_ENTRIES, MAX_UNIMEM_LIST_ITEMS } from './constants.js'
import { CheckpointError } from './errors.js'
import { Checkpoint } from './pb/checkpoint.js'
import { Unimem } from './unimem.js'
import type { UnimemValue } from './unimem.js'

export interface CheckpointState {
  /** Hex sha256 of the image this state belongs to. */
  imageHash: string
  imageName: string
  /** Step that runs next; undefined when terminated or the EF has no step graph. */
  step?: string
  lastStep?: string
  terminated: boolean
  unimem: Array<[string, UnimemValue]>
  /** Sequence number the EF's next output will carry. */
  outputSeq: number
  /** EF clock (ms) when taken. */
  clock: number
  /** Steps completed since the first boot. */
  steps: number
}

export function encodeCheckpoint (state: CheckpointState): Uint8Array {
  return Checkpoint.encode({
    version: CHECKPOINT_VERSION,
    imageHash: Uint8Array.from(Buffer.from(state.imageHash, 'hex')),
    imageName: state.imageName,
    step: state.step ?? '',
    lastStep: state.lastStep ?? '',
    terminated: state.terminated,
    unimem: Unimem.fromEntries(state.unimem).toEntries(),
    outputSeq: BigInt(state.outputSeq),
    clock: state.clock,
    steps: BigInt(state.steps)
  })
}

export function decodeCheckpoint (bytes: Uint8Array): CheckpointState {
  if (bytes.length > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`checkpoint: ${bytes.length} bytes, at most ${MAX_CHECKPOINT_BYTES}`)
  let pb: Checkpoint
  try {
    pb = Checkpoint.decode(bytes, { limits: { unimem: MAX_UNIMEM_ENTRIES, unimem$: { value: { list: MAX_UNIMEM_LIST_ITEMS } } } })
  } catch (err) {
    throw new CheckpointError(`checkpoint: does not decode: ${(err as Error).message}`)
  }
  if (pb.version !== CHECKPOINT_VERSION) throw new CheckpointError(`checkpoint: version ${pb.version}, expected ${CHECKPOINT_VERSION}`)
  if (pb.imageHash.length !== 32) throw new CheckpointError(`checkpoint: imageHash has ${pb.imageHash.length} bytes, expected 32`)
  let unimem: Array<[string, UnimemValue]>
  try {
    unimem = Unimem.fromEntries(pb.unimem).entries()
  } catch (err) {
    throw new CheckpointError(`checkpoint: unimem: ${(err as Error).message}`)
  }
  return {
    imageHash: Buffer.from(pb.imageHash).toString('hex'),
    imageName: pb.imageName,
    step: pb.step === '' ? undefined : pb.step,
    lastStep: pb.lastStep === '' ? undefined : pb.lastStep,
    terminated: pb.terminated,
    unimem,
    outputSeq: Number(pb.outputSeq),
    clock: pb.clock,
    steps: Number(pb.steps)
  }
}
