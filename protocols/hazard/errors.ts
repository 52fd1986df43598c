/** A warning or parking message that breaks the DENM model (bad field, enum, range). */
export class InvalidWarningError extends Error {
  static name = 'InvalidWarningError'
  readonly code = 'ERR_INVALID_WARNING'
  constructor (message = 'Invalid hazard warning') {
    super(message)
    this.name = 'InvalidWarningError'
  }
}
