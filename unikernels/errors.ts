// Typed errors of the EF runtime. Each names the image (when there is one) and the reason,
// so a supervisor can report a stopped EF without parsing message text.

export class ImageHashMismatchError extends Error {
  static name = 'ImageHashMismatchError'
  readonly code = 'ERR_IMAGE_HASH_MISMATCH'
  constructor (message = 'Image bytes do not match the manifest hash', readonly image?: string) {
    super(message)
    this.name = 'ImageHashMismatchError'
  }
}

export class ForeignImportError extends Error {
  static name = 'ForeignImportError'
  readonly code = 'ERR_FOREIGN_IMPORT'
  constructor (message = 'Image imports something outside the ECCO host ABI', readonly image?: string) {
    super(message)
    this.name = 'ForeignImportError'
  }
}

export class InvalidImageError extends Error {
  static name = 'InvalidImageError'
  readonly code = 'ERR_INVALID_IMAGE'
  constructor (message = 'Invalid EF image', readonly image?: string) {
    super(message)
    this.name = 'InvalidImageError'
  }
}

export class InvalidManifestError extends Error {
  static name = 'InvalidManifestError'
  readonly code = 'ERR_INVALID_MANIFEST'
  constructor (message = 'Invalid EF manifest', readonly image?: string) {
    super(message)
    this.name = 'InvalidManifestError'
  }
}

export class ImageNotFoundError extends Error {
  static name = 'ImageNotFoundError'
  readonly code = 'ERR_IMAGE_NOT_FOUND'
  constructor (message = 'No such image in the catalogue', readonly image?: string) {
    super(message)
    this.name = 'ImageNotFoundError'
  }
}

export class MemoryLimitError extends Error {
  static name = 'MemoryLimitError'
  readonly code = 'ERR_MEMORY_LIMIT'
  constructor (message = 'EF exceeded its memory limit', readonly image?: string) {
    super(message)
    this.name = 'MemoryLimitError'
  }
}

export class TimeLimitError extends Error {
  static name = 'TimeLimitError'
  readonly code = 'ERR_TIME_LIMIT'
  constructor (message = 'EF exceeded its time limit', readonly image?: string) {
    super(message)
    this.name = 'TimeLimitError'
  }
}

export class EfTrapError extends Error {
  static name = 'EfTrapError'
  readonly code = 'ERR_EF_TRAP'
  constructor (message = 'EF trapped', readonly image?: string) {
    super(message)
    this.name = 'EfTrapError'
  }
}

export class SensorAccessDeniedError extends Error {
  static name = 'SensorAccessDeniedError'
  readonly code = 'ERR_SENSOR_ACCESS_DENIED'
  constructor (message = 'Sensor not declared in the manifest', readonly image?: string) {
    super(message)
    this.name = 'SensorAccessDeniedError'
  }
}

export class UnknownSensorError extends Error {
  static name = 'UnknownSensorError'
  readonly code = 'ERR_UNKNOWN_SENSOR'
  constructor (message = 'No such sensor on this peer') {
    super(message)
    this.name = 'UnknownSensorError'
  }
}

export class InvalidSensorConfigError extends Error {
  static name = 'InvalidSensorConfigError'
  readonly code = 'ERR_INVALID_SENSOR_CONFIG'
  constructor (message = 'Invalid sensor configuration') {
    super(message)
    this.name = 'InvalidSensorConfigError'
  }
}

export class AmbiguousGuardError extends Error {
  static name = 'AmbiguousGuardError'
  readonly code = 'ERR_AMBIGUOUS_GUARD'
  constructor (message = 'More than one transition guard is true', readonly image?: string) {
    super(message)
    this.name = 'AmbiguousGuardError'
  }
}

export class CheckpointError extends Error {
  static name = 'CheckpointError'
  readonly code = 'ERR_CHECKPOINT'
  constructor (message = 'Invalid checkpoint', readonly image?: string) {
    super(message)
    this.name = 'CheckpointError'
  }
}

export class SandboxStateError extends Error {
  static name = 'SandboxStateError'
  readonly code = 'ERR_SANDBOX_STATE'
  constructor (message = 'Operation not allowed in this sandbox state', readonly image?: string) {
    super(message)
    this.name = 'SandboxStateError'
  }
}

export class InputTooLargeError extends Error {
  static name = 'InputTooLargeError'
  readonly code = 'ERR_INPUT_TOO_LARGE'
  constructor (message = 'Input does not fit the EF inbox', readonly image?: string) {
    super(message)
    this.name = 'InputTooLargeError'
  }
}

export class BlackboardBusyError extends Error {
  static name = 'BlackboardBusyError'
  readonly code = 'ERR_BLACKBOARD_BUSY'
  constructor (message = 'The receiving EF did not free its inbox in time', readonly image?: string) {
    super(message)
    this.name = 'BlackboardBusyError'
  }
}

export class WorkerCrashedError extends Error {
  static name = 'WorkerCrashedError'
  readonly code = 'ERR_WORKER_CRASHED'
  constructor (message = 'The EF worker exited unexpectedly', readonly image?: string) {
    super(message)
    this.name = 'WorkerCrashedError'
  }
}

export class UnimemTypeError extends Error {
  static name = 'UnimemTypeError'
  readonly code = 'ERR_UNIMEM_TYPE'
  constructor (message = 'Unimem value has another type') {
    super(message)
    this.name = 'UnimemTypeError'
  }
}

/** Errors that cross the worker boundary by name; the host rebuilds the typed class. */
export const EF_ERRORS = {
  ImageHashMismatchError,
  ForeignImportError,
  InvalidImageError,
  MemoryLimitError,
  TimeLimitError,
  EfTrapError,
  SensorAccessDeniedError,
  UnknownSensorError,
  AmbiguousGuardError,
  CheckpointError,
  SandboxStateError,
  InputTooLargeError,
  BlackboardBusyError,
  WorkerCrashedError,
  UnimemTypeError
} as const

export type EfErrorName = keyof typeof EF_ERRORS

export function isEfErrorName (name: string): name is EfErrorName {
  return Object.hasOwn(EF_ERRORS, name)
}
