/** A newer epoch of the instance exists: this copy must stop. */
export class FencedError extends Error {
  static name = 'FencedError'
  readonly code = 'ERR_FENCED'
  readonly currentEpoch: number
  constructor (message = 'A newer epoch of the instance exists', currentEpoch = 0) {
    super(message)
    this.name = 'FencedError'
    this.currentEpoch = currentEpoch
  }
}

/** The receiver lacks the base of a delta checkpoint; send the full one. */
export class NeedFullCheckpointError extends Error {
  static name = 'NeedFullCheckpointError'
  readonly code = 'ERR_NEED_FULL_CHECKPOINT'
  constructor (message = 'The receiver lacks the base of the delta') {
    super(message)
    this.name = 'NeedFullCheckpointError'
  }
}

/** The remote answered with an error we cannot act on (not found, refused) or an unexpected kind. */
export class CheckpointRequestError extends Error {
  static name = 'CheckpointRequestError'
  readonly code = 'ERR_CHECKPOINT_REQUEST'
  constructor (message = 'Checkpoint request failed') {
    super(message)
    this.name = 'CheckpointRequestError'
  }
}

/** A delta does not apply to its base (wrong base, bad value encoding). */
export class CheckpointDeltaError extends Error {
  static name = 'CheckpointDeltaError'
  readonly code = 'ERR_CHECKPOINT_DELTA'
  constructor (message = 'Checkpoint delta does not apply') {
    super(message)
    this.name = 'CheckpointDeltaError'
  }
}

/** Fewer than quorum replicas acknowledged a checkpoint. */
export class QuorumError extends Error {
  static name = 'QuorumError'
  readonly code = 'ERR_QUORUM'
  constructor (message = 'Checkpoint not stored on a quorum of replicas') {
    super(message)
    this.name = 'QuorumError'
  }
}

/** The remote holds no checkpoint of the instance. */
export class CheckpointNotFoundError extends Error {
  static name = 'CheckpointNotFoundError'
  readonly code = 'ERR_CHECKPOINT_NOT_FOUND'
  constructor (message = 'No checkpoint of the instance') {
    super(message)
    this.name = 'CheckpointNotFoundError'
  }
}
