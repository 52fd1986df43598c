/** A descriptor that breaks a rule; `path` names the bad field, e.g. `stages[2].after[0]`. */
export class PipelineValidationError extends Error {
  static name = 'PipelineValidationError'
  readonly code = 'ERR_PIPELINE_INVALID'
  readonly path: string
  constructor (path = '', message = 'Invalid pipeline descriptor') {
    super(path === '' ? message : `${path}: ${message}`)
    this.name = 'PipelineValidationError'
    this.path = path
  }
}

/** A stage `after` a stage that depends on it. */
export class PipelineCycleError extends PipelineValidationError {
  static name = 'PipelineCycleError'
  constructor (path = 'stages', message = 'cycle') {
    super(path, message)
    this.name = 'PipelineCycleError'
  }
}

/** A stage naming an image missing from the catalogue, or with another content hash. */
export class UnknownImageError extends PipelineValidationError {
  static name = 'UnknownImageError'
  constructor (path = 'image', message = 'unknown image') {
    super(path, message)
    this.name = 'UnknownImageError'
  }
}

/** A stage whose needs no capability can meet. */
export class UnmeetableNeedsError extends PipelineValidationError {
  static name = 'UnmeetableNeedsError'
  constructor (path = 'needs', message = 'no capability can meet these needs') {
    super(path, message)
    this.name = 'UnmeetableNeedsError'
  }
}

/** A descriptor or command with no (or an empty) signature. */
export class UnsignedDescriptorError extends Error {
  static name = 'UnsignedDescriptorError'
  readonly code = 'ERR_PIPELINE_UNSIGNED'
  constructor (message = 'descriptor is not signed') {
    super(message)
    this.name = 'UnsignedDescriptorError'
  }
}

/** The signature does not match the bytes: altered in transit or forged. */
export class InvalidSignatureError extends Error {
  static name = 'InvalidSignatureError'
  readonly code = 'ERR_PIPELINE_SIGNATURE'
  constructor (message = 'signature does not verify') {
    super(message)
    this.name = 'InvalidSignatureError'
  }
}

/** Signed by a key the operator does not trust (config `pipelines.trustedIssuers`). */
export class UntrustedIssuerError extends Error {
  static name = 'UntrustedIssuerError'
  readonly code = 'ERR_PIPELINE_UNTRUSTED'
  constructor (message = 'issuer is not trusted') {
    super(message)
    this.name = 'UntrustedIssuerError'
  }
}

/** A YAML descriptor that cannot be read at all (syntax, wrong type of a field). */
export class DescriptorSyntaxError extends PipelineValidationError {
  static name = 'DescriptorSyntaxError'
  constructor (path = '', message = 'invalid descriptor YAML') {
    super(path, message)
    this.name = 'DescriptorSyntaxError'
  }
}

/** An issuer key file or key text that cannot be parsed. */
export class IssuerKeyError extends Error {
  static name = 'IssuerKeyError'
  readonly code = 'ERR_PIPELINE_KEY'
  constructor (message = 'invalid issuer key') {
    super(message)
    this.name = 'IssuerKeyError'
  }
}
