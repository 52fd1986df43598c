/**
 * What every peer knows about pipelines, replicated without a centre: signed
 * descriptors and stop orders (LWW map `pipelines`: `d/<id>`, `x/<id>`) and
 * bids (LWW map `pipeline-bids`). Changes go out as deltas on
 * ecco/v1/pipelines; anti-entropy on every connection brings late joiners up
 * to date. Nothing unsigned, untrusted or altered is merged; each is counted.
 */
import { TopicValidatorResult, TypedEventEmitter, type Message, type PeerId } from '@libp2p/interface'
import { CrdtStore, HybridLogicalClock, LwwMap, type LwwMapDelta } from '../../crdt/index.js'
import {
  BID_DOCUMENT, bidKey, bidOwner, Command, CommandOp, decodeBid, decodeGossip, DESCRIPTOR_DOCUMENT, encodeBid, InvalidSignatureError,
  openCommand, openDescriptor, PIPELINE_TOPIC, PIPELINE_VERSION, PipelineGossip, SignedCommand, SignedDescriptor, UnsignedDescriptorError,
  UntrustedIssuerError, validateDescriptor, type Bid, type PipelineDescriptor
} from '../../protocols/index.js'
import type { EccoPeer } from '../peer.js'

export interface BookEvents {
  'descriptor': CustomEvent<{ descriptor: PipelineDescriptor }>
  'stop': CustomEvent<{ pipelineId: string }>
  'trigger': CustomEvent<{ command: Command }>
  'bids': CustomEvent<{ pipelineIds: string[] }>
  'rejected': CustomEvent<{ reason: string, kind: RejectKind }>
}

export type RejectKind = 'unsigned' | 'untrusted' | 'signature' | 'invalid'

interface OpenedDescriptor { key: string, d: PipelineDescriptor, bytes?: Uint8Array }
interface OpenedCommand { c: Command, bytes?: Uint8Array }
interface Opened { descriptors: OpenedDescriptor[], commands: OpenedCommand[], bids: LwwMapDelta | undefined }

export class PipelineBook extends TypedEventEmitter<BookEvents> {
  readonly docs: LwwMap
  readonly bids: LwwMap
  private readonly store: CrdtStore
  private readonly trusted: ReadonlySet<string>
  private readonly opened = new WeakMap<Message, Opened>()
  private readonly descriptors = new Map<string, PipelineDescriptor>()
  private saving?: Promise<void>
  readonly rejected: Record<RejectKind, number> = { unsigned: 0, untrusted: 0, signature: 0, invalid: 0 }

  constructor (private readonly peer: EccoPeer, trusted: string[]) {
    super()
    const clock = new HybridLogicalClock({ nodeId: peer.peerId.toString() })
    this.docs = new LwwMap({ clock })
    this.bids = new LwwMap({ clock })
    this.store = new CrdtStore({ db: peer.store.sub('crdt') })
    this.trusted = new Set(trusted)
  }

  async start (): Promise<void> {
    await this.store.load(DESCRIPTOR_DOCUMENT, this.docs)
    await this.store.load(BID_DOCUMENT, this.bids)
    for (const [key, value] of this.docs.entries()) {
      if (!key.startsWith('d/')) continue
      // the operator may have stopped trusting an issuer since: its pipelines are not resumed
      try { this.descriptors.set(key.slice(2), (await openDescriptor(SignedDescriptor.decode(value), this.trusted)).descriptor) } catch (err) {
        this.peer.log.warn('stored pipeline not resumed', { key, error: err })
      }
    }
    const { pubsub, sync } = this.peer.libp2p.services
    pubsub.topicValidators.set(PIPELINE_TOPIC, this.validate)
    pubsub.addEventListener('message', this.onMessage)
    pubsub.subscribe(PIPELINE_TOPIC)
    sync.register({ name: DESCRIPTOR_DOCUMENT, summary: () => this.docs.encodeSummary(), diff: (s) => this.docs.diffBytes(s) ?? new Uint8Array(0), apply: async (u) => { await this.applyDocs(u) } })
    sync.register({ name: BID_DOCUMENT, summary: () => this.bids.encodeSummary(), diff: (s) => this.bids.diffBytes(s) ?? new Uint8Array(0), apply: (u) => { this.applyBids(u) } })
  }

  /** Replays what was loaded from disk to the listeners (after they are attached). */
  replay (): void {
    for (const d of this.descriptors.values()) this.safeDispatchEvent('descriptor', { detail: { descriptor: d } })
    for (const key of this.docs.keys()) if (key.startsWith('x/')) this.safeDispatchEvent('stop', { detail: { pipelineId: key.slice(2) } })
  }

  async stop (): Promise<void> {
    const { pubsub, sync } = this.peer.libp2p.services
    pubsub.removeEventListener('message', this.onMessage)
    pubsub.topicValidators.delete(PIPELINE_TOPIC)
    if (pubsub.getTopics().includes(PIPELINE_TOPIC)) pubsub.unsubscribe(PIPELINE_TOPIC)
    sync.unregister(DESCRIPTOR_DOCUMENT)
    sync.unregister(BID_DOCUMENT)
    await this.saving
    await this.store.save(DESCRIPTOR_DOCUMENT, this.docs)
    await this.store.save(BID_DOCUMENT, this.bids)
    await this.store.flushed()
  }

  get (id: string): PipelineDescriptor | undefined { return this.descriptors.get(id) }
  all (): PipelineDescriptor[] { return [...this.descriptors.values()] }
  stopped (id: string): boolean { return this.docs.has(`x/${id}`) }

  /** Every bid of a pipeline (withdrawn ones included). */
  bidsOf (pipelineId: string): Bid[] {
    const out: Bid[] = []
    for (const [key, value] of this.bids.entries()) if (key.startsWith(`${pipelineId}/`)) out.push(decodeBid(key, value))
    return out
  }

  /** Accepts a descriptor from the issuer's CLI: verified, validated, stored, gossiped. */
  async submit (signed: SignedDescriptor): Promise<PipelineDescriptor> {
    const d = await this.open(signed)
    validateDescriptor(d)
    this.accepted([{ key: `d/${d.id}`, d, bytes: SignedDescriptor.encode(signed) }], [])
    await this.publish({ version: PIPELINE_VERSION, descriptor: signed, bids: new Uint8Array(0) })
    return d
  }

  /** Trigger or stop, from the issuer. */
  async command (signed: SignedCommand): Promise<Command> {
    const c = await this.openCmd(signed)
    this.accepted([], [{ c, bytes: SignedCommand.encode(signed) }])
    await this.publish({ version: PIPELINE_VERSION, command: signed, bids: new Uint8Array(0) })
    return c
  }

  /** Writes this peer's bid and gossips the delta. */
  async postBid (bid: Omit<Bid, 'version' | 'peer'>): Promise<void> {
    const self = this.peer.peerId.toString()
    const delta = this.bids.set(bidKey(bid.pipelineId, bid.stage, self), encodeBid({ ...bid, peer: self }))
    this.save()
    this.safeDispatchEvent('bids', { detail: { pipelineIds: [bid.pipelineId] } })
    await this.publish({ version: PIPELINE_VERSION, bids: this.bids.encodeDelta(delta) })
  }

  private async publish (g: PipelineGossip): Promise<void> {
    try {
      await this.peer.libp2p.services.pubsub.publish(PIPELINE_TOPIC, PipelineGossip.encode(g))
    } catch (err) {
      this.peer.log.debug('pipeline gossip not sent', { error: err })
    }
  }

  private async open (signed: SignedDescriptor): Promise<PipelineDescriptor> {
    try {
      return (await openDescriptor(signed, this.trusted)).descriptor
    } catch (err) {
      this.reject(err)
      throw err
    }
  }

  private async openCmd (signed: SignedCommand, pending?: ReadonlyMap<string, PipelineDescriptor>): Promise<Command> {
    try {
      return await openCommand(signed, (id) => this.descriptors.get(id)?.issuer ?? pending?.get(id)?.issuer, this.trusted)
    } catch (err) {
      this.reject(err)
      throw err
    }
  }

  private reject (err: unknown): void {
    const kind: RejectKind = err instanceof UnsignedDescriptorError ? 'unsigned' : err instanceof UntrustedIssuerError ? 'untrusted' : err instanceof InvalidSignatureError ? 'signature' : 'invalid'
    this.rejected[kind]++
    const reason = err instanceof Error ? err.message : String(err)
    this.peer.log.warn('pipeline message rejected', { kind, reason })
    this.safeDispatchEvent('rejected', { detail: { reason, kind } })
  }

  private readonly validate = async (_from: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    try {
      if (msg.type !== 'signed') throw new UnsignedDescriptorError('pipeline gossip: unsigned message')
      const g = decodeGossip(msg.data)
      const opened: Opened = { descriptors: [], commands: [], bids: undefined }
      if (g.descriptor !== undefined) {
        const d = await this.open(g.descriptor)
        validateDescriptor(d)
        opened.descriptors.push({ key: `d/${d.id}`, d, bytes: SignedDescriptor.encode(g.descriptor) })
      }
      if (g.command !== undefined) opened.commands.push({ c: await this.openCmd(g.command), bytes: SignedCommand.encode(g.command) })
      if (g.bids.byteLength > 0) {
        const delta = this.bids.decode(g.bids)
        const origin = msg.from.toString()
        for (const e of delta.entries) {
          if (bidOwner(e.key) !== origin) throw new UntrustedIssuerError(`bid ${e.key} relayed as if from ${origin}`)
          if (e.value !== undefined) decodeBid(e.key, e.value)
        }
        opened.bids = delta
      }
      this.opened.set(msg, opened)
      return TopicValidatorResult.Accept
    } catch (err) {
      if (!(err instanceof UnsignedDescriptorError || err instanceof UntrustedIssuerError || err instanceof InvalidSignatureError)) this.reject(err)
      return TopicValidatorResult.Reject
    }
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    if (msg.topic !== PIPELINE_TOPIC) return
    const o = this.opened.get(msg)
    if (o === undefined) return
    this.accepted(o.descriptors, o.commands)
    if (o.bids !== undefined) this.mergeBids(o.bids)
  }

  /** Stores (when `bytes` are given: gossip and submissions) and announces what was opened. */
  private accepted (descriptors: OpenedDescriptor[], commands: OpenedCommand[]): void {
    for (const { key, d, bytes } of descriptors) {
      const known = this.descriptors.get(d.id)
      if (known !== undefined && known.issuedAtMs >= d.issuedAtMs) continue
      if (bytes !== undefined) this.docs.set(key, bytes)
      this.descriptors.set(d.id, d)
      this.safeDispatchEvent('descriptor', { detail: { descriptor: d } })
    }
    for (const { c, bytes } of commands) {
      if (c.op === CommandOp.COMMAND_STOP) {
        if (bytes !== undefined && !this.docs.has(`x/${c.pipelineId}`)) this.docs.set(`x/${c.pipelineId}`, bytes)
        this.safeDispatchEvent('stop', { detail: { pipelineId: c.pipelineId } })
        continue
      }
      this.safeDispatchEvent('trigger', { detail: { command: c } })
    }
    this.save()
  }

  /** Anti-entropy: open every entry; merge only what verifies. */
  private async applyDocs (update: Uint8Array): Promise<void> {
    const delta = this.docs.decode(update)
    const good: LwwMapDelta = { entries: [] }
    const descriptors: OpenedDescriptor[] = []
    const stops: OpenedCommand[] = []
    const pending = new Map<string, PipelineDescriptor>()
    for (const e of delta.entries) {
      if (e.value === undefined) continue
      try {
        if (e.key.startsWith('d/')) {
          const d = await this.open(SignedDescriptor.decode(e.value))
          validateDescriptor(d)
          if (`d/${d.id}` !== e.key) throw new UntrustedIssuerError(`descriptor ${d.id} stored under ${e.key}`)
          descriptors.push({ key: e.key, d })
          pending.set(d.id, d)
        } else if (e.key.startsWith('x/')) {
          // the descriptor may arrive in the same update: open it first
          const id = e.key.slice(2)
          const dEntry = delta.entries.find((x) => x.key === `d/${id}`)
          if (!this.descriptors.has(id) && !pending.has(id) && dEntry?.value !== undefined) pending.set(id, await this.open(SignedDescriptor.decode(dEntry.value)))
          stops.push({ c: await this.openCmd(SignedCommand.decode(e.value), pending) })
        } else continue
        good.entries.push(e)
      } catch (err) {
        if (!(err instanceof UnsignedDescriptorError || err instanceof UntrustedIssuerError || err instanceof InvalidSignatureError)) this.reject(err)
      }
    }
    this.docs.merge(good)
    this.accepted(descriptors, stops)
  }

  private applyBids (update: Uint8Array): void {
    const delta = this.bids.decode(update)
    for (const e of delta.entries) if (e.value !== undefined) decodeBid(e.key, e.value)
    this.mergeBids(delta)
  }

  private mergeBids (delta: LwwMapDelta): void {
    const { changed } = this.bids.merge(delta)
    if (changed.length === 0) return
    this.save()
    const ids = [...new Set(changed.map((c) => c.key.slice(0, c.key.indexOf('/'))))]
    this.safeDispatchEvent('bids', { detail: { pipelineIds: ids } })
  }

  /** Coalesced persistence: one batch per tick. */
  private save (): void {
    this.saving ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.saving = undefined
        Promise.all([this.store.save(DESCRIPTOR_DOCUMENT, this.docs), this.store.save(BID_DOCUMENT, this.bids)])
          .then(() => { resolve() }, (err) => { this.peer.log.error('pipeline book save failed', { error: err }); resolve() })
      })
    })
  }
}
