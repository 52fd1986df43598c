/**
 * The in-car light client: a libp2p peer in DHT client mode (no cell provided, not a
 * registry member) that finds roadside peers for the cells around it through the DHT,
 * subscribes to the hazard cells around its position and along its route ahead, and
 * re-subscribes as it moves. Every warning is verified (operator certificate, revocation
 * set synced from the roadside, signature, scope, freshness); each actionId is shown
 * once, updates replace it, terminations and expiry clear it.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { TypedEventEmitter, type ConnectionGater, type PrivateKey, type PublicKey, type Transport } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import {
  HAZARD_CELL_PRECISION, RevocationList, RevocationSync, TrustStore, createRegistryMap, describeCause, encodeGeohash,
  hazardCellsAround, Termination, type Denm, type Position
} from '../../protocols/index.js'
import { createEccoLibp2p, type EccoLibp2p } from '../libp2p.js'
import { HazardInbox, type InboxRejectReason, type WarningEvent } from '../hazards/inbox.js'
import { relevanceOf, type Relevance } from './relevance.js'
import { Route } from './route.js'

export interface VehicleInit {
  /** operator public keys whose certificates the vehicle trusts */
  operatorKeys: Array<PublicKey | Uint8Array>
  /** roadside peers to join through */
  bootstrap: string[]
  /** @default the route's first point */
  position?: Position
  route?: Position[]
  /** drive along the route at this speed (m/s); 0 = stay put unless moved @default 0 */
  speedMps?: number
  /** @default ['/ip4/0.0.0.0/tcp/0'] */
  listen?: string[]
  /** an ephemeral key by default: a vehicle is not tracked across trips */
  privateKey?: PrivateKey
  /** how far ahead along the route warnings are shown and cells subscribed @default 5000 */
  lookaheadM?: number
  /** how often a driving vehicle moves @default 1000 */
  driveTickMs?: number
  /** @default 6 */
  cellPrecision?: number
  /** @default 5000 */
  discoveryIntervalMs?: number
  transports?: Array<(components: any) => Transport>
  connectionGater?: ConnectionGater
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

export interface ShownWarning {
  key: string
  denm: Denm
  /** e.g. "blackIceOnRoad (6/6)" */
  cause: string
  distanceM: number
  aheadM?: number
  /** seconds since detection */
  ageS: number
  shownAt: number
}

export interface VehicleEvents {
  'warning:shown': CustomEvent<ShownWarning>
  'warning:updated': CustomEvent<ShownWarning>
  'warning:cleared': CustomEvent<{ key: string, denm: Denm, why: 'cancellation' | 'negation' | 'expired' }>
  'warning:rejected': CustomEvent<{ reason: InboxRejectReason, detail: string, from: string }>
  'cells:change': CustomEvent<{ cells: string[], added: string[], removed: string[] }>
}

export class Vehicle extends TypedEventEmitter<VehicleEvents> {
  readonly libp2p: EccoLibp2p
  readonly inbox: HazardInbox
  readonly revocations: RevocationSync
  private readonly init: VehicleInit
  private route?: Route
  private along?: number
  private position: Position
  private readonly lookaheadM: number
  /** accepted, not terminated: shown or waiting to become relevant */
  private readonly known = new Map<string, Denm>()
  private readonly shown = new Map<string, number>()
  private driveTimer?: ReturnType<typeof setInterval>
  private speedMps: number

  constructor (libp2p: EccoLibp2p, trust: TrustStore, init: VehicleInit) {
    super()
    this.libp2p = libp2p
    this.init = init
    this.lookaheadM = init.lookaheadM ?? 5000
    this.speedMps = init.speedMps ?? 0
    if (init.route !== undefined) this.route = new Route(init.route)
    this.position = init.position ?? this.route?.points[0] ?? { lat: 0, lon: 0 }
    if (this.route !== undefined) this.along = this.route.project(this.position).along
    const { pubsub, sync } = libp2p.services
    const list = new RevocationList({ nodeId: libp2p.peerId.toString(), trust })
    this.revocations = new RevocationSync({ pubsub, sync }, { list, ...(init.log === undefined ? {} : { log: init.log }) })
    this.inbox = new HazardInbox({ pubsub, trust, revocations: list, ...(init.log === undefined ? {} : { log: init.log }) })
    this.inbox.addEventListener('warning', (e) => { this.onWarning(e.detail) })
    this.inbox.addEventListener('warning:expired', (e) => { this.clear(e.detail.key, 'expired') })
    this.inbox.addEventListener('warning:rejected', (e) => { this.safeDispatchEvent('warning:rejected', { detail: { reason: e.detail.reason, detail: e.detail.detail, from: e.detail.from } }) })
  }

  get peerId (): string { return this.libp2p.peerId.toString() }

  async start (): Promise<void> {
    await this.libp2p.start()
    this.revocations.start()
    this.inbox.start()
    this.resubscribe()
    await Promise.any(this.init.bootstrap.map(async (a) => { await this.libp2p.dial(multiaddr(a), { signal: AbortSignal.timeout(10_000) }) }))
      .catch((err: AggregateError) => { this.init.log?.('bootstrap dial failed', { error: err.errors[0] }) })
    if (this.speedMps > 0 && this.route !== undefined) this.drive(this.speedMps)
  }

  async stop (): Promise<void> {
    clearInterval(this.driveTimer)
    this.inbox.stop()
    this.revocations.stop()
    await this.libp2p.stop()
  }

  /** Moves the vehicle (GPS fix). On a route, the position is projected onto it. */
  setPosition (p: Position): void {
    this.position = p
    if (this.route !== undefined) this.along = this.route.project(p).along
    this.moved()
  }

  setRoute (points: Position[] | undefined): void {
    this.route = points === undefined ? undefined : new Route(points)
    this.along = this.route?.project(this.position).along
    this.moved()
  }

  /** Drives along the route at `speedMps`, one step per tick; 0 stops. */
  drive (speedMps: number): void {
    clearInterval(this.driveTimer)
    this.speedMps = speedMps
    const route = this.route
    if (speedMps <= 0 || route === undefined) return
    const tick = this.init.driveTickMs ?? 1000
    this.driveTimer = setInterval(() => {
      const along = Math.min(route.length, (this.along ?? 0) + speedMps * tick / 1000)
      this.along = along
      this.position = route.pointAt(along)
      this.moved()
      if (along >= route.length) clearInterval(this.driveTimer)
    }, tick)
    this.driveTimer.unref?.()
  }

  getPosition (): Position { return this.position }
  /** metres driven along the route */
  getAlong (): number | undefined { return this.along }
  cells (): string[] { return this.inbox.watched() }

  /** Warnings on display now, nearest first. */
  warnings (): ShownWarning[] {
    return [...this.shown.keys()].map((k) => this.view(k)).filter((w): w is ShownWarning => w !== undefined)
      .sort((a, b) => (a.aheadM ?? a.distanceM) - (b.aheadM ?? b.distanceM))
  }

  relevance (denm: Denm): Relevance {
    return relevanceOf(denm, { position: this.position, route: this.route, along: this.along, lookaheadM: this.lookaheadM })
  }

  private view (key: string): ShownWarning | undefined {
    const denm = this.known.get(key)
    const shownAt = this.shown.get(key)
    if (denm === undefined || shownAt === undefined) return undefined
    const r = this.relevance(denm)
    const w: ShownWarning = { key, denm, cause: describeCause(denm.causeCode, denm.subCauseCode), distanceM: r.distanceM, ageS: Math.max(0, (Date.now() - Number(denm.detectionTime)) / 1000), shownAt }
    if (r.aheadM !== undefined) w.aheadM = r.aheadM
    return w
  }

  private onWarning (w: WarningEvent): void {
    if (w.kind === 'terminated') {
      this.clear(w.key, w.denm.termination === Termination.IS_NEGATION ? 'negation' : 'cancellation')
      return
    }
    this.known.set(w.key, w.denm)
    if (this.shown.has(w.key)) {
      const v = this.view(w.key)
      if (v !== undefined) this.safeDispatchEvent('warning:updated', { detail: v })
      return
    }
    this.consider(w.key)
  }

  private consider (key: string): void {
    const denm = this.known.get(key)
    if (denm === undefined || this.shown.has(key) || !this.relevance(denm).relevant) return
    this.shown.set(key, Date.now())
    const v = this.view(key)
    if (v !== undefined) this.safeDispatchEvent('warning:shown', { detail: v })
  }

  private clear (key: string, why: 'cancellation' | 'negation' | 'expired'): void {
    const denm = this.known.get(key)
    this.known.delete(key)
    const wasShown = this.shown.delete(key)
    if (wasShown && denm !== undefined) this.safeDispatchEvent('warning:cleared', { detail: { key, denm, why } })
  }

  private moved (): void {
    this.libp2p.services.discovery.setPosition(this.position)
    this.resubscribe()
    for (const key of this.known.keys()) this.consider(key)
  }

  /** Cells around the position, and along the route ahead up to the look-ahead. */
  private wantedCells (): Set<string> {
    const cells = new Set(hazardCellsAround(this.position, this.route === undefined ? this.lookaheadM : 1000))
    if (this.route !== undefined && this.along !== undefined) {
      for (let d = 0; d <= this.lookaheadM; d += 250) cells.add(encodeGeohash(this.route.pointAt(this.along + d), HAZARD_CELL_PRECISION))
    }
    return cells
  }

  private resubscribe (): void {
    const { added, removed } = this.inbox.watchOnly(this.wantedCells())
    if (added.length > 0 || removed.length > 0) this.safeDispatchEvent('cells:change', { detail: { cells: this.inbox.watched(), added, removed } })
  }
}

export async function createVehicle (init: VehicleInit): Promise<Vehicle> {
  const key = init.privateKey ?? await generateKeyPair('Ed25519')
  const id = peerIdFromPrivateKey(key).toString()
  const trust = new TrustStore({ operatorKeys: init.operatorKeys })
  const position = init.position ?? init.route?.[0]
  if (position === undefined) throw new TypeError('createVehicle: give a position or a route')
  const libp2p = await createEccoLibp2p({
    privateKey: key,
    listen: init.listen ?? ['/ip4/0.0.0.0/tcp/0'],
    position,
    cellPrecision: init.cellPrecision ?? 6,
    discoveryIntervalMs: init.discoveryIntervalMs ?? 5000,
    heartbeatMs: 1000,
    goneAfterHeartbeats: 3,
    client: true,
    registry: createRegistryMap(id),
    state: {
      name: 'vehicle', lat: position.lat, lon: position.lon, cell: encodeGeohash(position, init.cellPrecision ?? 6), tier: 1,
      sensors: [], radios: [], multiaddrs: [], startedAt: BigInt(Date.now()), roles: ['vehicle']
    },
    ...(init.transports === undefined ? {} : { transports: init.transports }),
    ...(init.connectionGater === undefined ? {} : { connectionGater: init.connectionGater })
  })
  return new Vehicle(libp2p, trust, init)
}
