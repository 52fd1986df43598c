/**
 * The `/ecco/checkpoint/2.0.0` conversation: one request frame and one answer frame per
 * stream (STORE/STORED, FETCH/STATE, OUTPUT/DELIVERED, PREPARE/PREPARED,
 * TRANSFER/RESUMED, or ERROR), framed and bounded by protocols/wire.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, PeerId, Stream, StreamHandler } from '@libp2p/interface'
import { checkEnum, checkVersion, decodeMessage, openChannel, InvalidMessageError, StreamTimeoutError } from '../wire/index.js'
import {
  CHECKPOINT_PROTOCOL, CHECKPOINT_WIRE_VERSION, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_INBOUND_STREAMS,
  DEFAULT_MAX_OUTBOUND_STREAMS, DEFAULT_TIMEOUT_MS, MAX_INSTANCE_LENGTH, MAX_OUTPUTS_PER_MESSAGE,
  MAX_OUTPUTS_PER_INPUT, MAX_REPLICA_SET, MAX_STAGE_RANGES, MAX_STAGE_RECENT, MAX_STATE_ENTRIES
} from './constants.js'
import { CheckpointNotFoundError, CheckpointRequestError, FencedError, NeedFullCheckpointError } from './errors.js'
import { CheckpointMessage } from './pb/checkpoint.js'

export interface CheckpointNetworkComponents {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle' | 'dialProtocol' | 'getConnections' | 'peerStore'>
  /**
   * Known multiaddrs of a peer (e.g. from the registry): replicas and resumers are often
   * not directly connected yet, and a DHT lookup would cost most of a failover.
   */
  addressesOf?: (peer: string) => string[]
}

export interface CheckpointNetworkInit {
  /** @default 4194304 */
  maxFrameBytes?: number
  /** deadline of one request/answer exchange @default 5000 */
  timeoutMs?: number
  /** @default 256 */
  maxInboundStreams?: number
  /** @default 256 */
  maxOutboundStreams?: number
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
    ...m
  }
}

export function decodeCheckpointMessage (bytes: Uint8Array, maxBytes: number): CheckpointMessage {
  const msg = decodeMessage(CheckpointMessage, bytes, 'CheckpointMessage', {
    maxBytes,
    limits: {
      outputs: MAX_OUTPUTS_PER_MESSAGE,
      replicaSet: MAX_REPLICA_SET,
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
  readonly stats: CheckpointNetworkStats = { requestsOut: 0, requestsIn: 0, bytesOut: 0, bytesIn: 0, invalidMessages: 0, failures: 0 }
  /**
   * Awaited before each request frame leaves: benchmarks and emulators put a token
   * bucket here to model a capped uplink. Undefined: no shaping.
   */
  shaper?: (peer: string, bytes: number, signal?: AbortSignal) => Promise<void>
  private readonly components: CheckpointNetworkComponents
  private readonly maxFrameBytes: number
  private readonly timeoutMs: number
  private readonly maxInboundStreams: number
  private readonly maxOutboundStreams: number
  private handler?: CheckpointRequestHandler

  constructor (components: CheckpointNetworkComponents, init: CheckpointNetworkInit = {}) {
    this.components = components
    this.maxFrameBytes = init.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
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
  }

  /**
   * Sends one request and returns the answer; an ERROR answer is thrown as its typed
   * error (FencedError, NeedFullCheckpointError, CheckpointRequestError).
   */
  async request (peer: string, msg: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind }, options: { signal?: AbortSignal, timeoutMs?: number } = {}): Promise<CheckpointMessage> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    // a hard deadline on top of the stream's: an aborted stream must not leave a caller waiting
    let timer: ReturnType<typeof setTimeout> | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new StreamTimeoutError(`${CHECKPOINT_PROTOCOL} ${msg.kind} to ${peer}: no answer within ${timeoutMs} ms`)) }, timeoutMs + 250)
    })
    try {
      return await Promise.race([this.exchange(peer, msg, timeoutMs, options.signal), deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  private async exchange (peer: string, msg: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind }, timeoutMs: number, callerSignal?: AbortSignal): Promise<CheckpointMessage> {
    const signal = callerSignal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([callerSignal, AbortSignal.timeout(timeoutMs)])
    let stream: Stream
    try {
      const id = peerIdFromString(peer)
      await this.learnAddresses(id)
      // optimistic protocol select: the request travels with the protocol name, no extra round trip
      stream = await this.components.libp2p.dialProtocol(id, CHECKPOINT_PROTOCOL, { signal, negotiateFully: false })
    } catch (err) {
      this.stats.failures++
      throw err
    }
    const ch = openChannel(stream, { maxFrameBytes: this.maxFrameBytes, timeoutMs, signal: callerSignal })
    try {
      const bytes = CheckpointMessage.encode(message(msg))
      await this.shaper?.(peer, bytes.byteLength, signal)
      this.stats.requestsOut++
      this.stats.bytesOut += bytes.byteLength
      ch.write(bytes)
      const answer = await ch.read()
      this.stats.bytesIn += answer.byteLength
      const reply = decodeCheckpointMessage(answer, this.maxFrameBytes)
      // the answer is in: closing the stream need not delay the caller
      void ch.close()
      if (reply.kind === CheckpointMessage.Kind.ERROR) throw errorOf(reply)
      return reply
    } catch (err) {
      if (err instanceof InvalidMessageError) this.stats.invalidMessages++
      else this.stats.failures++
      ch.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  private async learnAddresses (id: PeerId): Promise<void> {
    const { libp2p, addressesOf } = this.components
    if (addressesOf === undefined || libp2p.getConnections(id).length > 0) return
    const addrs = addressesOf(id.toString()).flatMap((a) => { try { return [multiaddr(a)] } catch { return [] } })
    if (addrs.length > 0) await libp2p.peerStore.merge(id, { multiaddrs: addrs }).catch(() => {})
  }

  private async serve (stream: Stream, from: string): Promise<void> {
    const ch = openChannel(stream, { maxFrameBytes: this.maxFrameBytes, timeoutMs: this.timeoutMs })
    try {
      const bytes = await ch.read()
      this.stats.requestsIn++
      this.stats.bytesIn += bytes.byteLength
      const msg = decodeCheckpointMessage(bytes, this.maxFrameBytes)
      const handler = this.handler
      let answer: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind }
      if (handler === undefined) {
        answer = { kind: CheckpointMessage.Kind.ERROR, instance: msg.instance, error: CheckpointMessage.Error.REFUSED, reason: 'stopping' }
      } else {
        answer = await handler(msg, from).catch((err: Error) => errorAnswer(msg.instance, err))
      }
      const out = CheckpointMessage.encode(message({ instance: msg.instance, ...answer }))
      this.stats.bytesOut += out.byteLength
      ch.write(out)
      await ch.close()
    } catch (err) {
      if (err instanceof InvalidMessageError) this.stats.invalidMessages++
      else this.stats.failures++
      ch.abort(err instanceof Error ? err : new Error(String(err)))
    }
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
