/** A snapshot, request or option is malformed; the message names the bad field and value. */
export class InvalidNimbusInputError extends Error {
  static name = 'InvalidNimbusInputError'
  readonly code = 'ERR_INVALID_NIMBUS_INPUT'
  constructor (message = 'invalid Nimbus input') {
    super(message)
    this.name = 'InvalidNimbusInputError'
  }
}

/** A slice worker failed or the pool was used after close(). */
export class SliceWorkerError extends Error {
  static name = 'SliceWorkerError'
  readonly code = 'ERR_SLICE_WORKER'
  constructor (message = 'slice worker failed') {
    super(message)
    this.name = 'SliceWorkerError'
  }
}
