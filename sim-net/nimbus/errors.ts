/** The Nimbus data directory is missing or one of its files is unreadable or malformed. */
export class NimbusDataError extends Error {
  static name = 'NimbusDataError'
  readonly code = 'ERR_NIMBUS_DATA'
  constructor (message = 'Nimbus data directory is missing or malformed') {
    super(message)
    this.name = 'NimbusDataError'
  }
}

/** Bad command line for `sim-net nimbus`: the message names the bad flag or value. */
export class NimbusUsageError extends Error {
  static name = 'NimbusUsageError'
  readonly code = 'ERR_NIMBUS_USAGE'
  constructor (message = 'invalid sim-net nimbus command line') {
    super(message)
    this.name = 'NimbusUsageError'
  }
}
