/** Bad CLI flag, YAML field or value: the message names the field. Exit code 2. */
export class ConfigError extends Error {
  static name = 'ConfigError'
  readonly code = 'ERR_CONFIG'
  constructor (message = 'Invalid configuration') {
    super(message)
    this.name = 'ConfigError'
  }
}

export class IdentityError extends Error {
  static name = 'IdentityError'
  readonly code = 'ERR_IDENTITY'
  constructor (message = 'Invalid peer identity') {
    super(message)
    this.name = 'IdentityError'
  }
}
