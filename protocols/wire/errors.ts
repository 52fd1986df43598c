/** A message off the wire that cannot be decoded or breaks a limit. */
export class InvalidMessageError extends Error {
  static name = 'InvalidMessageError'
  readonly code = 'ERR_INVALID_MESSAGE'
  constructor (message = 'Invalid message') {
    super(message)
    this.name = 'InvalidMessageError'
  }
}

/** The remote went silent or was too slow for a stream protocol's deadline. */
export class StreamTimeoutError extends Error {
  static name = 'StreamTimeoutError'
  readonly code = 'ERR_STREAM_TIMEOUT'
  constructor (message = 'Stream timed out') {
    super(message)
    this.name = 'StreamTimeoutError'
  }
}

export class StreamClosedError extends Error {
  static name = 'StreamClosedError'
  readonly code = 'ERR_STREAM_CLOSED'
  constructor (message = 'Stream closed before the expected frame') {
    super(message)
    this.name = 'StreamClosedError'
  }
}
