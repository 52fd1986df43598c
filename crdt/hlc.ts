/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", OPODIS 2014).
 * A stamp is (wall, logical, node): wall follows the physical clock in ms, logical orders
 * events within one ms and across a remote clock that runs ahead, and the node id breaks the
 * remaining ties, so stamps are totally ordered and unique per node.
 */
import { DEFAULT_MAX_DRIFT_MS, DEFAULT_CRDT_LIMITS, MAX_LOGICAL } from './constants.js'
import { ClockDriftError, InvalidTimestampError } from './errors.js'

export interface Timestamp {
  /** physical component, ms since the Unix epoch */
  readonly wall: number
  /** counter for events that share a wall value */
  readonly logical: number
  /** id of the node that issued the stamp (a PeerId string in the mesh) */
  readonly node: string
}

/** Total order of stamps by (wall, logical, node); returns -1, 0 or 1. */
export function compareTimestamps (a: Timestamp, b: Timestamp): -1 | 0 | 1 {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1
  if (a.node !== b.node) return a.node < b.node ? -1 : 1
  return 0
}

/** The later of two stamps. */
export function maxTimestamp (a: Timestamp, b: Timestamp): Timestamp {
  return compareTimestamps(a, b) >= 0 ? a : b
}

/**
 * A string that identifies a stamp and sorts like `compareTimestamps` (fixed-width decimal
 * wall and logical), used as a map key and as a LevelDB record key.
 */
export function timestampKey (t: Timestamp): string {
  return `${t.wall.toString().padStart(16, '0')}.${t.logical.toString().padStart(10, '0')}.${t.node}`
}

/** Throws InvalidTimestampError naming the bad field when a stamp cannot have been issued by an HLC. */
export function validateTimestamp (t: Timestamp, field = 'timestamp', maxNodeIdLength = DEFAULT_CRDT_LIMITS.maxNodeIdLength): void {
  if (!Number.isSafeInteger(t.wall) || t.wall < 0) {
    throw new InvalidTimestampError(`${field}.wall must be a non-negative safe integer, got ${String(t.wall)}`)
  }
  if (!Number.isInteger(t.logical) || t.logical < 0 || t.logical >= MAX_LOGICAL) {
    throw new InvalidTimestampError(`${field}.logical must be an integer in [0, ${MAX_LOGICAL}), got ${String(t.logical)}`)
  }
  if (t.node.length === 0) {
    throw new InvalidTimestampError(`${field}.node must not be empty`)
  }
  if (t.node.length > maxNodeIdLength) {
    throw new InvalidTimestampError(`${field}.node is ${t.node.length} characters long, max ${maxNodeIdLength}`)
  }
}

export interface HlcComponents {
  /** id written into every stamp this clock issues; must be unique in the mesh */
  nodeId: string
}

export interface HlcInit {
  /**
   * Physical time source in ms since the epoch; tests inject a manual clock
   *
   * @default Date.now
   */
  now?: () => number

  /**
   * Largest lead (ms) of a remote stamp over the local physical clock that `update()` and
   * `check()` accept; a stamp further ahead is rejected with ClockDriftError
   *
   * @default 60000
   */
  maxDriftMs?: number
}

export class HybridLogicalClock {
  readonly nodeId: string
  readonly maxDriftMs: number
  readonly #physical: () => number
  #wall = 0
  #logical = 0

  constructor (components: HlcComponents, init: HlcInit = {}) {
    if (components.nodeId.length === 0) {
      throw new InvalidTimestampError('nodeId must not be empty')
    }
    if (components.nodeId.length > DEFAULT_CRDT_LIMITS.maxNodeIdLength) {
      throw new InvalidTimestampError(`nodeId is ${components.nodeId.length} characters long, max ${DEFAULT_CRDT_LIMITS.maxNodeIdLength}`)
    }
    this.nodeId = components.nodeId
    this.maxDriftMs = init.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS
    this.#physical = init.now ?? Date.now
  }

  /** The physical clock (whole ms); TTLs and tombstone grace periods are measured on it. */
  physicalNow (): number {
    return Math.floor(this.#physical())
  }

  /** The latest stamp issued or observed, without advancing the clock. */
  peek (): Timestamp {
    return { wall: this.#wall, logical: this.#logical, node: this.nodeId }
  }

  /** A stamp for a local event, strictly greater than every stamp issued or observed before. */
  now (): Timestamp {
    const pt = this.physicalNow()
    if (pt > this.#wall) {
      this.#wall = pt
      this.#logical = 0
    } else {
      this.#tick()
    }
    return this.peek()
  }

  /**
   * Validates a remote stamp: field ranges, then drift against the local physical clock.
   * Throws InvalidTimestampError or ClockDriftError; never changes the clock.
   */
  check (remote: Timestamp, field = 'timestamp'): void {
    validateTimestamp(remote, field)
    const drift = remote.wall - this.physicalNow()
    if (drift > this.maxDriftMs) {
      throw new ClockDriftError(`${field} from node ${remote.node} is ${drift} ms ahead of the local clock (max drift ${this.maxDriftMs} ms)`, drift)
    }
  }

  /**
   * Receive event: checks `remote`, then returns a stamp greater than both it and every
   * earlier local stamp. On error the clock is unchanged.
   */
  update (remote: Timestamp): Timestamp {
    this.check(remote)
    this.#merge(remote)
    return this.peek()
  }

  /**
   * Moves the clock past `remote` without the drift check; for trusted local data such as
   * state reloaded from disk, so a restarted node never issues stamps below its own old ones.
   */
  observe (remote: Timestamp): void {
    validateTimestamp(remote)
    this.#merge(remote)
  }

  #merge (remote: Timestamp): void {
    const pt = this.physicalNow()
    const wall = Math.max(this.#wall, remote.wall, pt)
    if (wall === this.#wall && wall === remote.wall) {
      this.#logical = Math.max(this.#logical, remote.logical)
      this.#tick()
    } else if (wall === this.#wall) {
      this.#tick()
    } else if (wall === remote.wall) {
      this.#wall = wall
      this.#logical = remote.logical
      this.#tick()
    } else {
      this.#wall = wall
      this.#logical = 0
    }
  }

  /** Next logical value; on the (practically unreachable) overflow borrow one ms instead. */
  #tick (): void {
    if (this.#logical + 1 >= MAX_LOGICAL) {
      this.#wall += 1
      this.#logical = 0
    } else {
      this.#logical += 1
    }
  }
}

export function createHybridLogicalClock (components: HlcComponents, init: HlcInit = {}): HybridLogicalClock {
  return new HybridLogicalClock(components, init)
}
