/**
 * The `/ecco/checkpoint/3.0.0` conversation: requests (STORE, FETCH, OUTPUT, PREPARE,
 * TRANSFER) and their answers (STORED, STATE, DELIVERED, PREPARED, RESUMED, or ERROR),
 * matched by id over one long-lived session stream per peer and direction (session.ts),
 * framed and bounded.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, PeerId, Stream, StreamHandler } from '@libp2p/interface'
import { checkEnum, checkVersion, decodeMessage, InvalidMessageError, StreamTimeoutError } from '../wire/index.js'
import {
  CHECKPOINT_PROTOCOL, CHECKPOINT_WIRE_VERSION, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_INBOUND_STREAMS,
  DEFAULT_MAX_OUTBOUND_STREAMS, DEFAULT_MAX_PENDING, DEFAULT_READ_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, MAX_DESCRIPTOR_NAMES, MAX_INSTANCE_LENGTH, MAX_NAME_LENGTH,
  MAX_OUTPUTS_PER_MESSAGE, MAX_OUTPUTS_PER_INPUT, MAX_REPLICA_SET, MAX_STAGE_RANGES, MAX_STAGE_RECENT, MAX_STATE_ENTRIES
} from './constants.js'
import { CheckpointNotFoundError, CheckpointRequestError, FencedError, NeedFullCheckpointError } from './errors.js'
import { CheckpointMessage } from './pb/checkpoint.js'
import { ClientSession, serveSession, type SessionLimits } from './session.js'

export interface CheckpointNetworkComponents {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle' | 'dialProtocol' | 'getConnections' | 'peerStore'>
  /**
   * Known multiaddrs of a peer (e.g. from the registry): replicas and resumers are often
   * not directly connected yet, and a DHT lookup would cost most of a failover.
   */
  addressesOf?: (peer: string) => string[]
}

export interface CheckpointNetworkInit {
  /**
   * Largest frame either way. A 100 KB Unimem checkpoint plus a full outbox (1024
   * outputs) is about 135 KB: 1 MiB leaves room for stage marks and bigger states.
   * @default 1048576
   */
  maxFrameBytes?: number
  /** deadline of one request/answer exchange @default 5000 */
  timeoutMs?: number
  /**
   * Every read of a served session must complete within this (unless its requests are
   * still being answered); an opener closes its own session after half of it idle.
   * @default 10000
   */
  readTimeoutMs?: number
  /** requests in flight per session (the opener queues more) @default 32 */
  maxPending?: number
  /** session streams a peer may open to us per connection @default 16 */
  maxInboundStreams?: number
  /** @default 16 */
  maxOutboundStreams?: number
}

export interface CheckpointRequestOptions {
  signal?: AbortSignal
  /** @default CheckpointNetworkInit.timeoutMs */
  timeoutMs?: number
  /** filled with the size of the encoded request frame */
  sent?: { bytes: number }
}

/** Answers one request; `from` is the remote PeerId. Throwing FencedError etc. sends ERROR. */
export type CheckpointRequestHandler = (msg: CheckpointMessage, from: string) => Promise<Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind }>

export interface CheckpointNetworkStats {
  requestsOut: number
  requestsIn: number
  bytesOut: number
  bytesIn: number
  invalidMessages: number
  failures: number
  sessionsOpened: number
  sessionsServed: number
  /** served sessions closed because the opener sent nothing within readTimeoutMs */
  sessionsTimedOut: number
}

const KINDS = Object.values(CheckpointMessage.Kind)
const ERRORS = Object.values(CheckpointMessage.Error)

/** A full message from the parts a caller sets. */
export function message (m: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind }): CheckpointMessage {
  return {
    version: CHECKPOINT_WIRE_VERSION,
    instance: '',
    epoch: 0n,
    seq: 0n,
    checkpoint: new Uint8Array(0),
    outputs: [],
    highWater: 0n,
    error: CheckpointMessage.Error.NONE,
    reason: '',
    currentEpoch: 0n,
    replicaSet: [],
    sentAt: Date.now(),
    id: 0,
    ...m
  }
}

export function decodeCheckpointMessage (bytes: Uint8Array, maxBytes: number): CheckpointMessage {
  const msg = decodeMessage(CheckpointMessage, bytes, 'CheckpointMessage', {
    maxBytes,
    limits: {
      outputs: MAX_OUTPUTS_PER_MESSAGE,
      replicaSet: MAX_REPLICA_SET,
      descriptor: { names: MAX_DESCRIPTOR_NAMES },
      delta: { set: MAX_STATE_ENTRIES, removed: MAX_STATE_ENTRIES },
      marks: { consumed: MAX_STAGE_RANGES, recent: MAX_STAGE_RECENT, recent$: { outputs: MAX_OUTPUTS_PER_INPUT } }
    }
  })
  checkVersion('CheckpointMessage', msg.version, CHECKPOINT_WIRE_VERSION)
  checkEnum('CheckpointMessage', 'kind', msg.kind, KINDS)
  checkEnum('CheckpointMessage', 'error', msg.error, ERRORS)
  if (msg.instance.length > MAX_INSTANCE_LENGTH) throw new InvalidMessageError(`CheckpointMessage.instance: ${msg.instance.length} characters, at most ${MAX_INSTANCE_LENGTH}`)
  if (msg.descriptor !== undefined && msg.descriptor.instance !== msg.instance) {
    throw new InvalidMessageError(`CheckpointMessage.descriptor.instance: "${msg.descriptor.instance}" differs from instance "${msg.instance}"`)
  }
  const long = msg.descriptor?.names.find((n) => n.length > MAX_NAME_LENGTH)
  if (long !== undefined) throw new InvalidMessageError(`CheckpointMessage.descriptor.names: a name of ${long.length} characters, at most ${MAX_NAME_LENGTH}`)
  return msg
}

/** Turns an ERROR answer into its typed error. */
export function errorOf (msg: CheckpointMessage): Error {
  switch (msg.error) {
    case CheckpointMessage.Error.FENCED: return new FencedError(`${msg.instance}: fenced by epoch ${msg.currentEpoch}: ${msg.reason}`, Number(msg.currentEpoch))
    case CheckpointMessage.Error.NEED_FULL: return new NeedFullCheckpointError(`${msg.instance}: ${msg.reason}`)
    case CheckpointMessage.Error.NOT_FOUND: return new CheckpointNotFoundError(`${msg.instance}: ${msg.reason}`)
    default: return new CheckpointRequestError(`${msg.instance}: ${msg.error}: ${msg.reason}`)
  }
}

export class CheckpointNetwork {
  readonly stats: CheckpointNetworkStats = { requestsOut: 0, requestsIn: 0, bytesOut: 0, bytesIn: 0, invalidMessages: 0, failures: 0, sessionsOpened: 0, sessionsServed: 0, sessionsTimedOut: 0 }
  /**
   * Awaited before each request frame leaves: benchmarks and emulators put a token
   * bucket here to model a capped uplink. Undefined: no shaping.
   */
  shaper?: (peer: string, bytes: number, signal?: AbortSignal) => Promise<void>
  private readonly components: CheckpointNetworkComponents
  private readonly limits: SessionLimits
  private readonly timeoutMs: number
  private readonly maxInboundStreams: number
  private readonly maxOutboundStreams: number
  private handler?: CheckpointRequestHandler
  /** our open session to each peer */
  private readonly sessions = new Map<string, ClientSession>()
  private readonly opening = new Map<string, Promise<ClientSession>>()
  private readonly served = new Set<Stream>()

  constructor (components: CheckpointNetworkComponents, init: CheckpointNetworkInit = {}) {
    this.components = components
    this.limits = {
      maxFrameBytes: init.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxPending: init.maxPending ?? DEFAULT_MAX_PENDING,
      readTimeoutMs: init.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS
    }
    this.timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.maxInboundStreams = init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS
    this.maxOutboundStreams = init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS
  }

  async start (handler: CheckpointRequestHandler): Promise<void> {
    this.handler = handler
    const onStream: StreamHandler = ({ stream, connection }) => {
      void this.serve(stream, connection.remotePeer.toString())
    }
    await this.components.libp2p.handle(CHECKPOINT_PROTOCOL, onStream, {
      maxInboundStreams: this.maxInboundStreams,
      maxOutboundStreams: this.maxOutboundStreams
    })
  }

  async stop (): Promise<void> {
    this.handler = undefined
    await this.components.libp2p.unhandle(CHECKPOINT_PROTOCOL)
    const err = new CheckpointRequestError('checkpoint network stopped')
    for (const s of [...this.sessions.values()]) s.abort(err)
    for (const stream of this.served) stream.abort(err)
    this.served.clear()
  }

  /**
   * Sends one request and returns the answer; an ERROR answer is thrown as its typed
   * error (FencedError, NeedFullCheckpointError, CheckpointRequestError).
   */
  async request (peer: string, msg: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind }, options: CheckpointRequestOptions = {}): Promise<CheckpointMessage> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
    let session: ClientSession
    try {
      session = await this.session(peer, signal)
      await session.slot(signal)
    } catch (err) {
      this.stats.failures++
      throw this.timedOut(err, signal, timeout, `${CHECKPOINT_PROTOCOL} ${msg.kind} to ${peer}: no session within ${timeoutMs} ms`)
    }
    const id = session.takeId()
    const bytes = CheckpointMessage.encode(message({ ...msg, id }))
    if (options.sent !== undefined) options.sent.bytes = bytes.byteLength
    let answer: Uint8Array
    try {
      if (bytes.byteLength > this.limits.maxFrameBytes) {
        // the peer would abort the whole session for it
        throw new InvalidMessageError(`CheckpointMessage: ${bytes.byteLength} bytes exceeds the ${this.limits.maxFrameBytes}-byte frame limit`)
      }
      await this.shaper?.(peer, bytes.byteLength, signal)
    } catch (err) {
      session.unreserve()
      throw err
    }
    try {
      this.stats.requestsOut++
      this.stats.bytesOut += bytes.byteLength
      answer = await session.send(id, bytes, signal)
    } catch (err) {
      this.stats.failures++
      throw this.timedOut(err, signal, timeout, `${CHECKPOINT_PROTOCOL} ${msg.kind} to ${peer}: no answer within ${timeoutMs} ms`)
    }
    let reply: CheckpointMessage
    try {
      reply = decodeCheckpointMessage(answer, this.limits.maxFrameBytes)
    } catch (err) {
      this.stats.invalidMessages++
      throw err
    }
    if (reply.kind === CheckpointMessage.Kind.ERROR) throw errorOf(reply)
    return reply
  }

  /** The deadline's own error when it fired (not the abort reason of a DOMException). */
  private timedOut (err: unknown, signal: AbortSignal, timeout: AbortSignal, message: string): Error {
    if (signal.aborted && timeout.aborted) return new StreamTimeoutError(message)
    return err instanceof Error ? err : new Error(String(err))
  }

  /** The open session to `peer`, or a new one (one at a time per peer). */
  private async session (peer: string, signal: AbortSignal): Promise<ClientSession> {
    const open = this.sessions.get(peer)
    if (open !== undefined && !open.closing) return open
    let p = this.opening.get(peer)
    if (p === undefined) {
      p = this.openSession(peer, signal).finally(() => { this.opening.delete(peer) })
      this.opening.set(peer, p)
    }
    return await p
  }

  private async openSession (peer: string, signal: AbortSignal): Promise<ClientSession> {
    const id = peerIdFromString(peer)
    await this.learnAddresses(id)
    // optimistic protocol select: the first request travels with the protocol name
    const stream = await this.components.libp2p.dialProtocol(id, CHECKPOINT_PROTOCOL, { signal, negotiateFully: false })
    const s = new ClientSession(peer, stream, this.limits, (closed) => { if (this.sessions.get(peer) === closed) this.sessions.delete(peer) })
    s.onFrame = (n) => { this.stats.bytesIn += n }
    this.sessions.set(peer, s)
    this.stats.sessionsOpened++
    return s
  }

  private async learnAddresses (id: PeerId): Promise<void> {
    const { libp2p, addressesOf } = this.components
    if (addressesOf === undefined || libp2p.getConnections(id).length > 0) return
    const addrs = addressesOf(id.toString()).flatMap((a) => { try { return [multiaddr(a)] } catch { return [] } })
    if (addrs.length > 0) await libp2p.peerStore.merge(id, { multiaddrs: addrs }).catch(() => {})
  }

  private async serve (stream: Stream, from: string): Promise<void> {
    this.served.add(stream)
    this.stats.sessionsServed++
    try {
      await serveSession(stream, this.limits, {
        answer: async (frame) => await this.answer(frame, from),
        onTimeout: () => { this.stats.sessionsTimedOut++ },
        onViolation: (err) => {
          if (err instanceof InvalidMessageError) this.stats.invalidMessages++
          else this.stats.failures++
        }
      })
    } finally {
      this.served.delete(stream)
    }
  }

  /** One request frame to its encoded answer; a frame that does not decode aborts nothing, it goes unanswered. */
  private async answer (frame: Uint8Array, from: string): Promise<Uint8Array | undefined> {
    this.stats.requestsIn++
    this.stats.bytesIn += frame.byteLength
    let msg: CheckpointMessage
    try {
      msg = decodeCheckpointMessage(frame, this.limits.maxFrameBytes)
    } catch {
      this.stats.invalidMessages++
      return undefined
    }
    const handler = this.handler
    let answer: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind }
    if (handler === undefined) {
      answer = { kind: CheckpointMessage.Kind.ERROR, instance: msg.instance, error: CheckpointMessage.Error.REFUSED, reason: 'stopping' }
    } else {
      answer = await handler(msg, from).catch((err: Error) => errorAnswer(msg.instance, err))
    }
    const out = CheckpointMessage.encode(message({ instance: msg.instance, ...answer, id: msg.id }))
    this.stats.bytesOut += out.byteLength
    return out
  }
}

/** The ERROR answer for an error a handler threw. */
export function errorAnswer (instance: string, err: Error): Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind } {
  const base = { kind: CheckpointMessage.Kind.ERROR, instance, reason: err.message }
  if (err instanceof FencedError) return { ...base, error: CheckpointMessage.Error.FENCED, currentEpoch: BigInt(err.currentEpoch) }
  if (err instanceof NeedFullCheckpointError) return { ...base, error: CheckpointMessage.Error.NEED_FULL }
  if (err instanceof CheckpointNotFoundError) return { ...base, error: CheckpointMessage.Error.NOT_FOUND }
  return { ...base, error: CheckpointMessage.Error.REFUSED }
}
