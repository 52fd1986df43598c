/**
 * The `hazards` peer feature: validates and relays the hazard and parking topics of the
 * cells around the peer, keeps the revocation OR-set (persisted, gossiped, synced), and,
 * with a roadside certificate, originates warnings (from pipeline finale outputs or the
 * API) with DENM repetition, updates and terminations.
 */
import type { PrivateKey } from '@libp2p/interface'
import { CrdtStore } from '../../crdt/index.js'
import {
  REVOCATIONS_DOCUMENT, RevocationList, RevocationSync, TrustStore, createFreeParking, hazardCellsAround, parkingTopic,
  encodeGeohash, HAZARD_CELL_PRECISION, signFreeParking, type FreeParkingInput, type ParsedCertificate, type Position
} from '../../protocols/index.js'
import { decodeHazard, type HazardRecord } from '../../unikernels/index.js'
import type { PeerFeature } from '../features.js'
import { loadOrCreateIdentity } from '../identity.js'
import { counter, gauge, type MetricFamily } from '../metrics.js'
import type { EccoPeer } from '../peer.js'
import type { HazardsConfig } from './config.js'
import { HAZARDS_SECTION, SEQUENCE_KEY } from './constants.js'
import { NotCertifiedError } from './errors.js'
import { readBytes, readOperatorKey, readRevocationFiles } from './files.js'
import { HazardInbox } from './inbox.js'
import { WarningPublisher, type WarningRequest } from './publisher.js'
import { HazardSource, type FinaleContext } from './source.js'

/** The part of a `pipeline:output` detail this feature reads (node/pipelines PipelineOutput). */
interface FinaleOutput { pipelineId: string, run: bigint, bytes: Uint8Array, origins?: Position[] }
/** The part of a `pipeline:run` detail this feature reads (node/pipelines PipelineRunEvent). */
interface FinaleRun { pipelineId: string, run: bigint, outputs: number, failed: boolean }

/** The slice of the pipelines feature this one listens to (node/pipelines: `pipeline:output`, `pipeline:run`). */
interface PipelineOutputs {
  addEventListener: ((type: 'pipeline:output', fn: (e: CustomEvent<FinaleOutput>) => void) => void) & ((type: 'pipeline:run', fn: (e: CustomEvent<FinaleRun>) => void) => void)
  removeEventListener: ((type: 'pipeline:output', fn: (e: CustomEvent<FinaleOutput>) => void) => void) & ((type: 'pipeline:run', fn: (e: CustomEvent<FinaleRun>) => void) => void)
}

/** Looking for the pipelines feature: first every 100 ms, backing off to this. */
const MAX_ATTACH_INTERVAL_MS = 5000

/**
 * The event position of a finale output: the centre of the hosts its data came from (the
 * detectors), not the broadcaster's own position; the broadcaster's when none is known.
 */
export function eventPositionOf (origins: readonly Position[] | undefined, fallback: Position): Position {
  if (origins === undefined || origins.length === 0) return fallback
  let lat = 0
  let lon = 0
  for (const o of origins) { lat += o.lat; lon += o.lon }
  return { lat: lat / origins.length, lon: lon / origins.length }
}

export class HazardsFeature implements PeerFeature {
  readonly name = HAZARDS_SECTION
  readonly config: HazardsConfig
  inbox!: HazardInbox
  revocations!: RevocationSync
  trust!: TrustStore
  /** undefined when the peer has no certificate: it relays but cannot originate */
  publisher?: WarningPublisher
  source?: HazardSource
  certificate?: ParsedCertificate
  private peer!: EccoPeer
  private key!: PrivateKey
  private certBytes?: Uint8Array
  private crdtStore!: CrdtStore
  private saving?: Promise<void>
  private scanTimer?: ReturnType<typeof setInterval>
  private parkingSeq = 0
  private attachTimer?: ReturnType<typeof setTimeout>
  private detach?: () => void

  constructor (config: HazardsConfig) {
    this.config = config
  }

  async start (peer: EccoPeer): Promise<void> {
    this.peer = peer
    const log = peer.log.child('hazards')
    const fields = (m: string, f?: Record<string, unknown>): void => { log.debug(m, f) }
    this.trust = new TrustStore({ operatorKeys: await Promise.all(this.config.operatorKeys.map(async (f) => await readOperatorKey(f, `${HAZARDS_SECTION}.operatorKeys`))) })
    this.key = (await loadOrCreateIdentity(peer.config.dataDir)).key
    if (this.config.certificate !== undefined) await this.loadCertificate(this.config.certificate)
    const list = new RevocationList({ nodeId: peer.peerId.toString(), trust: this.trust })
    this.crdtStore = new CrdtStore({ db: peer.store.sub('crdt') })
    await this.crdtStore.load(REVOCATIONS_DOCUMENT, list.set)
    const bad = await list.verifyLoaded()
    if (bad > 0) log.warn('stored revocations that do not verify were ignored', { count: bad })
    const { pubsub, sync } = peer.libp2p.services
    this.revocations = new RevocationSync({ pubsub, sync }, { list, onChange: () => { this.save() }, log: fields })
    this.revocations.start()
    this.inbox = new HazardInbox({ pubsub, trust: this.trust, revocations: list, log: fields })
    this.inbox.start()
    for (const cell of hazardCellsAround(peer.config.position, this.config.coverageM)) this.inbox.watch(cell)
    if (this.publisher !== undefined) this.attachToPipelines()
    if (this.config.revocationsDir !== undefined) {
      await this.scanRevocations()
      this.scanTimer = setInterval(() => { this.scanRevocations().catch((err: Error) => { log.warn('revocation scan failed', { error: err }) }) }, this.config.revocationScanMs)
      this.scanTimer.unref?.()
    }
  }

  private async loadCertificate (file: string): Promise<void> {
    const bytes = await readBytes(file, `${HAZARDS_SECTION}.certificate`)
    const cert = await this.trust.verifyCertificate(bytes)
    if (cert.subjectPeerId !== this.peer.peerId.toString()) {
      throw new NotCertifiedError(`${HAZARDS_SECTION}.certificate: ${file} certifies ${cert.subjectPeerId}, not this peer ${this.peer.peerId.toString()}`)
    }
    this.certificate = cert
    this.certBytes = bytes
    const log = this.peer.log.child('hazards')
    this.publisher = new WarningPublisher({
      pubsub: this.peer.libp2p.services.pubsub,
      key: this.key,
      certificate: { bytes, parsed: cert },
      nextSequence: async () => await this.nextSequence(),
      onSigned: (denm) => { this.inbox?.tracker.observe(denm) },
      log: (m, f) => { log.warn(m, f) }
    }, { transmissionIntervalMs: this.config.transmissionIntervalMs })
    this.source = new HazardSource(this.publisher, { clearAfterMs: this.config.clearAfterMs, clearAfterQuietRuns: this.config.clearAfterQuietRuns, log: (m, f) => { log.info(m, f) } })
  }

  private requirePublisher (): WarningPublisher {
    if (this.publisher === undefined) throw new NotCertifiedError(`peer ${this.peer.peerId.toString()} has no ${HAZARDS_SECTION}.certificate: it relays but cannot originate warnings`)
    return this.publisher
  }

  async publish (req: WarningRequest): Promise<string> { return await this.requirePublisher().publish(req) }
  async update (key: string, patch: Partial<WarningRequest>): Promise<void> { await this.requirePublisher().update(key, patch) }
  async terminate (key: string, kind: 'cancellation' | 'negation' = 'cancellation'): Promise<void> { await this.requirePublisher().terminate(key, kind) }

  /** The hook for pipeline finale stages: one hazard record from the hazard-broadcaster EF. */
  async onFinaleOutput (record: HazardRecord, ctx: FinaleContext): Promise<string> {
    this.requirePublisher()
    if (this.source === undefined) throw new NotCertifiedError()
    return await this.source.onRecord(record, ctx)
  }

  /**
   * Finale outputs of the pipelines feature become warnings. The pipelines feature
   * starts after this one (DEFAULT_FEATURES order), and its start can take seconds on a
   * loaded machine, so it is looked up until it appears, with backoff, never given up on
   * (a fixed number of tries left slow peers silently unable to warn).
   */
  private attachToPipelines (): void {
    const tryAttach = (): boolean => {
      const p = this.peer.features.get('pipelines') as unknown as PipelineOutputs | undefined
      if (p === undefined || typeof p.addEventListener !== 'function') return false
      const onOutput = (e: CustomEvent<FinaleOutput>): void => { this.onPipelineOutput(e.detail) }
      // a finale run with no record is the evidence that ends a warning (the ice melted)
      const onRun = (e: CustomEvent<FinaleRun>): void => { if (e.detail.outputs === 0 && !e.detail.failed) this.source?.onQuietRun(e.detail.pipelineId, e.detail.run) }
      p.addEventListener('pipeline:output', onOutput)
      p.addEventListener('pipeline:run', onRun)
      this.detach = () => {
        p.removeEventListener('pipeline:output', onOutput)
        p.removeEventListener('pipeline:run', onRun)
      }
      return true
    }
    let interval = 100
    const again = (): void => {
      if (this.stopped || tryAttach()) return
      interval = Math.min(MAX_ATTACH_INTERVAL_MS, interval * 2)
      this.attachTimer = setTimeout(again, interval)
      this.attachTimer.unref?.()
    }
    if (tryAttach()) return
    this.attachTimer = setTimeout(again, interval)
    this.attachTimer.unref?.()
  }

  private stopped = false

  private onPipelineOutput (out: FinaleOutput): void {
    let record: HazardRecord
    try {
      record = decodeHazard(out.bytes)
    } catch {
      return // not a hazard record (another finale's output)
    }
    const position = eventPositionOf(out.origins, this.peer.config.position)
    this.onFinaleOutput(record, { pipelineId: out.pipelineId, position, run: out.run }).catch((err: Error) => {
      this.peer.log.warn('finale output not published as a warning', { pipeline: out.pipelineId, error: err })
    })
  }

  /** Free-parking information on its own topic (the certificate must allow parking). */
  async publishParking (input: Omit<FreeParkingInput, 'originator' | 'sequenceNumber'>): Promise<void> {
    const cert = this.certificate
    if (cert === undefined || this.certBytes === undefined || !cert.body.parking) throw new NotCertifiedError('this peer\'s certificate does not allow parking information')
    const p = createFreeParking({ ...input, originator: cert.subjectPeerIdBytes, sequenceNumber: ++this.parkingSeq })
    await this.peer.libp2p.services.pubsub.publish(parkingTopic(encodeGeohash(input.position, HAZARD_CELL_PRECISION)), await signFreeParking(p, this.key, this.certBytes))
  }

  /** Adds an operator-signed revocation and spreads it. */
  async revoke (signedRevocation: Uint8Array): Promise<boolean> {
    return await this.revocations.revoke(signedRevocation)
  }

  private async scanRevocations (): Promise<void> {
    if (this.config.revocationsDir === undefined) return
    for (const { file, bytes } of await readRevocationFiles(this.config.revocationsDir)) {
      try {
        if (await this.revocations.revoke(bytes)) this.peer.log.info('revocation loaded', { file })
      } catch (err) {
        this.peer.log.warn('revocation file refused', { file, error: err })
      }
    }
  }

  private save (): void {
    this.saving = (this.saving ?? Promise.resolve()).then(async () => {
      await this.crdtStore.save(REVOCATIONS_DOCUMENT, this.revocations.list.set)
    }).catch((err: Error) => { this.peer.log.error('revocations save failed', { error: err }) })
  }

  private async nextSequence (): Promise<number> {
    const db = this.peer.store.sub('identity')
    const stored = await db.get(SEQUENCE_KEY)
    const prev = stored === undefined ? 0 : new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getUint32(0)
    const next = (prev + 1) >>> 0
    const out = new Uint8Array(4)
    new DataView(out.buffer).setUint32(0, next)
    await db.put(SEQUENCE_KEY, out)
    return next
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearInterval(this.scanTimer)
    clearTimeout(this.attachTimer)
    this.detach?.()
    this.source?.stop()
    this.publisher?.stop()
    this.inbox?.stop()
    this.revocations?.stop()
    await this.saving
    if (this.revocations !== undefined) await this.crdtStore.save(REVOCATIONS_DOCUMENT, this.revocations.list.set).catch(() => {})
  }

  routes (): Record<string, () => unknown> {
    return {
      '/hazards': () => ({
        certified: this.certificate !== undefined,
        originated: this.publisher?.active().map((a) => ({ action: a.key, cause: a.denm.causeCode, subCause: a.denm.subCauseCode, termination: a.denm.termination, cells: a.cells, sent: a.sent })) ?? [],
        seen: this.inbox.tracker.active().map((a) => ({ action: a.key, cause: a.denm.causeCode, subCause: a.denm.subCauseCode, referenceTime: Number(a.referenceTime) })),
        cells: this.inbox.watched(),
        stats: this.inbox.stats,
        revoked: this.revocations.list.list().map((r) => r.certificateId)
      })
    }
  }

  metrics (): MetricFamily[] {
    const s = this.inbox.stats
    const p = this.publisher?.stats
    return [
      counter('ecco_hazard_messages_accepted_total', 'Hazard warnings accepted (new, update, termination)', s.accepted),
      counter('ecco_hazard_messages_repeated_total', 'Accepted copies of a warning version already seen', s.repeats),
      counter('ecco_hazard_messages_rejected_total', 'Hazard and parking messages dropped, by reason', Object.entries(s.rejected).map(([reason, value]) => ({ labels: { reason }, value: value ?? 0 }))),
      counter('ecco_hazard_published_total', 'Warning copies this peer published (all cells, repetitions)', p?.messages ?? 0),
      gauge('ecco_hazard_originated_active', 'Warnings this peer is repeating', this.publisher?.active().length ?? 0),
      gauge('ecco_certs_revoked', 'Certificates in the revocation set', this.revocations.list.list().length)
    ]
  }
}

/** The feature factory for DEFAULT_FEATURES: on when the config has a `hazards:` section. */
export function hazardsFeature (peer: EccoPeer): PeerFeature | undefined {
  const config = peer.config.sections[HAZARDS_SECTION] as HazardsConfig | undefined
  return config === undefined ? undefined : new HazardsFeature(config)
}

/** The running hazards feature of a peer, if enabled. */
export function getHazards (peer: EccoPeer): HazardsFeature | undefined {
  const f = peer.features.get(HAZARDS_SECTION)
  return f instanceof HazardsFeature ? f : undefined
}
