/** A scenario file or object is invalid; the message starts with the path of the bad field. */
export class ScenarioError extends Error {
  static name = 'ScenarioError'
  readonly code = 'ERR_SCENARIO'
  /** path of the bad field, e.g. `nodes[3].position.lat` ('' for the whole document) */
  readonly path: string
  constructor (message = 'Invalid scenario', path = '') {
    super(message)
    this.name = 'ScenarioError'
    this.path = path
  }
}

/** The scenario needs a capability (vehicles, pipelines, ...) that the factories passed in do not provide. */
export class CapabilityMissingError extends Error {
  static name = 'CapabilityMissingError'
  readonly code = 'ERR_CAPABILITY_MISSING'
  readonly capability: string
  constructor (capability: string, message = `capability ${capability} not available`) {
    super(message)
    this.name = 'CapabilityMissingError'
    this.capability = capability
  }
}

/** A dial was refused because the emulator has partitioned the two nodes. */
export class LinkPartitionedError extends Error {
  static name = 'LinkPartitionedError'
  readonly code = 'ERR_LINK_PARTITIONED'
  constructor (message = 'link is partitioned') {
    super(message)
    this.name = 'LinkPartitionedError'
  }
}

/** Link parameters (latency, bandwidth, loss, ...) out of range. */
export class InvalidLinkParamsError extends Error {
  static name = 'InvalidLinkParamsError'
  readonly code = 'ERR_INVALID_LINK_PARAMS'
  constructor (message = 'invalid link parameters') {
    super(message)
    this.name = 'InvalidLinkParamsError'
  }
}

/** A timed event (crash, restart, ...) could not be applied to the running scenario. */
export class ScenarioEventError extends Error {
  static name = 'ScenarioEventError'
  readonly code = 'ERR_SCENARIO_EVENT'
  constructor (message = 'scenario event failed') {
    super(message)
    this.name = 'ScenarioEventError'
  }
}

/** Command-line usage error (unknown flag, missing argument). */
export class CliUsageError extends Error {
  static name = 'CliUsageError'
  readonly code = 'ERR_CLI_USAGE'
  constructor (message = 'invalid command line') {
    super(message)
    this.name = 'CliUsageError'
  }
}

/** A peer's process (multi-process mode) exited when it was not asked to, or before it answered. */
export class PeerProcessExitedError extends Error {
  static name = 'PeerProcessExitedError'
  readonly code = 'ERR_PEER_PROCESS_EXITED'
  constructor (message = 'peer process exited') {
    super(message)
    this.name = 'PeerProcessExitedError'
  }
}

/** The peer-process entry was run without an IPC channel to an orchestrator, or got a message out of order. */
export class PeerProcessProtocolError extends Error {
  static name = 'PeerProcessProtocolError'
  readonly code = 'ERR_PEER_PROCESS_PROTOCOL'
  constructor (message = 'peer process protocol error') {
    super(message)
    this.name = 'PeerProcessProtocolError'
  }
}
