export class InvalidPositionError extends Error {
  static name = 'InvalidPositionError'
  readonly code = 'ERR_INVALID_POSITION'
  constructor (message = 'Invalid position') {
    super(message)
    this.name = 'InvalidPositionError'
  }
}
