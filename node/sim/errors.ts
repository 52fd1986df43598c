/** Errors of node/'s sim-net factories. */

/** A scenario condition the emulated sensors cannot produce. */
export class UnsupportedConditionError extends Error {
  static name = 'UnsupportedConditionError'
  readonly code = 'ERR_UNSUPPORTED_CONDITION'
  constructor (message = 'condition not supported by the emulated sensors') {
    super(message)
    this.name = 'UnsupportedConditionError'
  }
}

/** A hook was given a peer this factory did not start, or one without the feature it needs. */
export class SimPeerMissingError extends Error {
  static name = 'SimPeerMissingError'
  readonly code = 'ERR_SIM_PEER_MISSING'
  constructor (message = 'peer not started by this factory') {
    super(message)
    this.name = 'SimPeerMissingError'
  }
}
