/** A certificate or revocation that cannot be parsed or breaks a field rule. */
export class InvalidCertificateError extends Error {
  static name = 'InvalidCertificateError'
  readonly code = 'ERR_INVALID_CERTIFICATE'
  constructor (message = 'Invalid certificate') {
    super(message)
    this.name = 'InvalidCertificateError'
  }
}

/** A certificate or revocation that parses but is not signed by a trusted operator key. */
export class UntrustedCertificateError extends Error {
  static name = 'UntrustedCertificateError'
  readonly code = 'ERR_UNTRUSTED_CERTIFICATE'
  constructor (message = 'Certificate not signed by a trusted operator key') {
    super(message)
    this.name = 'UntrustedCertificateError'
  }
}

export class InvalidRevocationError extends Error {
  static name = 'InvalidRevocationError'
  readonly code = 'ERR_INVALID_REVOCATION'
  constructor (message = 'Invalid revocation') {
    super(message)
    this.name = 'InvalidRevocationError'
  }
}
