/** The peer cannot originate warnings: no certificate configured, or it does not cover the request. */
export class NotCertifiedError extends Error {
  static name = 'NotCertifiedError'
  readonly code = 'ERR_NOT_CERTIFIED'
  constructor (message = 'This peer has no roadside certificate') {
    super(message)
    this.name = 'NotCertifiedError'
  }
}

export class UnknownActionError extends Error {
  static name = 'UnknownActionError'
  readonly code = 'ERR_UNKNOWN_ACTION'
  constructor (message = 'No active warning with this actionId') {
    super(message)
    this.name = 'UnknownActionError'
  }
}
