/** A remote peer that did not prove membership: no, a bad, or someone else's certificate. */
export class MembershipRefusedError extends Error {
  static name = 'MembershipRefusedError'
  readonly code = 'ERR_MEMBERSHIP_REFUSED'
  constructor (message = 'Peer refused: no valid operator certificate for its PeerId') {
    super(message)
    this.name = 'MembershipRefusedError'
  }
}

/** The certificate exchange failed on the wire (timeout, malformed frame, closed stream). */
export class CertificateExchangeError extends Error {
  static name = 'CertificateExchangeError'
  readonly code = 'ERR_CERTIFICATE_EXCHANGE'
  constructor (message = 'Certificate exchange failed') {
    super(message)
    this.name = 'CertificateExchangeError'
  }
}

/** Permissioned mode without the keys or certificate it needs. */
export class SecuritySetupError extends Error {
  static name = 'SecuritySetupError'
  readonly code = 'ERR_SECURITY_SETUP'
  constructor (message = 'Security setup incomplete') {
    super(message)
    this.name = 'SecuritySetupError'
  }
}
