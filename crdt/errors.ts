/**
 * Typed errors of crdt/. Tests and callers match on `err.name`, never on message text.
 */

/** Bytes that are not a valid encoding of the expected CRDT message (garbage, truncated, oversize, wrong version/kind, missing field). */
export class InvalidCrdtMessageError extends Error {
  static name = 'InvalidCrdtMessageError'
  readonly code = 'ERR_INVALID_CRDT_MESSAGE'
  constructor (message = 'Invalid CRDT message', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidCrdtMessageError'
  }
}

/** A remote stamp is further ahead of the local physical clock than the configured max drift. */
export class ClockDriftError extends Error {
  static name = 'ClockDriftError'
  readonly code = 'ERR_CLOCK_DRIFT'
  /** How far (ms) the rejected stamp was ahead of the local physical clock. */
  readonly driftMs: number
  constructor (message = 'Remote timestamp too far in the future', driftMs = Number.NaN) {
    super(message)
    this.name = 'ClockDriftError'
    this.driftMs = driftMs
  }
}

/** A timestamp whose fields are out of range (non-integer wall, logical overflow, empty or long node id). */
export class InvalidTimestampError extends Error {
  static name = 'InvalidTimestampError'
  readonly code = 'ERR_INVALID_TIMESTAMP'
  constructor (message = 'Invalid timestamp') {
    super(message)
    this.name = 'InvalidTimestampError'
  }
}

/** A local operation was given an argument outside the limits (key or value too long, bad TTL, bad max value). */
export class InvalidCrdtArgumentError extends Error {
  static name = 'InvalidCrdtArgumentError'
  readonly code = 'ERR_INVALID_CRDT_ARGUMENT'
  constructor (message = 'Invalid CRDT argument') {
    super(message)
    this.name = 'InvalidCrdtArgumentError'
  }
}

/** The persistence layer failed or a stored record could not be loaded. */
export class CrdtStoreError extends Error {
  static name = 'CrdtStoreError'
  readonly code = 'ERR_CRDT_STORE'
  constructor (message = 'CRDT store failure', options?: ErrorOptions) {
    super(message, options)
    this.name = 'CrdtStoreError'
  }
}
