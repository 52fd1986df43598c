/** The gateway refused the handshake (not a gateway, bad requirements, ...); the message says why. */
export class OffloadRefusedError extends Error {
  static name = 'OffloadRefusedError'
  readonly code = 'ERR_OFFLOAD_REFUSED'
  constructor (message = 'offload refused') {
    super(message)
    this.name = 'OffloadRefusedError'
  }
}

/** A peer answered an offload request with an ErrorReply. */
export class OffloadRemoteError extends Error {
  static name = 'OffloadRemoteError'
  readonly code = 'ERR_OFFLOAD_REMOTE'
  readonly remoteCode: string
  constructor (message = 'remote offload error', remoteCode = '') {
    super(message)
    this.name = 'OffloadRemoteError'
    this.remoteCode = remoteCode
  }
}

/** No live solver (slice or stage 2) could be reached. */
export class NoSolverError extends Error {
  static name = 'NoSolverError'
  readonly code = 'ERR_NO_SOLVER'
  constructor (message = 'no live Nimbus solver') {
    super(message)
    this.name = 'NoSolverError'
  }
}

/** A slice rule, tier profile or RTT model is malformed; the message names the field. */
export class InvalidOffloadConfigError extends Error {
  static name = 'InvalidOffloadConfigError'
  readonly code = 'ERR_INVALID_OFFLOAD_CONFIG'
  constructor (message = 'invalid offload configuration') {
    super(message)
    this.name = 'InvalidOffloadConfigError'
  }
}
