/**
 * The mobile-device side of the protocol, as a library: one `offload()` runs the paper's
 * handshake (requirements) and offloading (candidate list) phases with the device's T1 gateway
 * on one stream; `release()` frees the reservation when the application stops. Works over any
 * libp2p node (a light client needs only TCP, Noise and Yamux): many simulated devices may
 * share one node.
 */
import type { AbortOptions, PeerId, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { checkRequirements, placementFromWire, requirementsToWire, type DeviceRequirements, type OffloadPlacement } from './codec.js'
import { DEFAULT_CLIENT_DIAL_RETRIES, DEFAULT_CLIENT_TIMEOUT_MS, OFFLOAD_PROTOCOL } from './constants.js'
import { OffloadRefusedError } from './errors.js'
import { OffloadMessage } from './pb/offload.js'
import { ask, openOffloadChannel, receive, send } from './rpc.js'

/** Anything that can open a protocol stream, e.g. a libp2p node. */
export interface OffloadDialer {
  dialProtocol: (peer: PeerId | Multiaddr | Multiaddr[], protocols: string | string[], options?: AbortOptions) => Promise<Stream>
}

export interface OffloadClientComponents {
  dialer: OffloadDialer
}

export interface OffloadClientInit {
  /**
   * Deadline of one conversation (handshake + offload, or release): the gateway batches, two
   * solver stages run and the target ENs confirm within it.
   * @default 15000
   */
  timeoutMs?: number
  /**
   * Extra attempts to open the stream when dialling the gateway fails (nothing was sent yet, so a
   * retry cannot duplicate a request).
   * @default 2
   */
  dialRetries?: number
}

export interface OffloadResult {
  /** the gateway's PeerId (the device's AP) */
  gateway: string
  /** best first; the first is reserved when it is an EN */
  candidates: OffloadPlacement[]
  /** the chosen target: candidates[0] */
  placement: OffloadPlacement
}

export type GatewayAddress = PeerId | Multiaddr | Multiaddr[]

export class OffloadClient {
  private readonly dialer: OffloadDialer
  private readonly timeoutMs: number
  private readonly dialRetries: number

  constructor (components: OffloadClientComponents, init: OffloadClientInit = {}) {
    this.dialer = components.dialer
    this.timeoutMs = init.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS
    this.dialRetries = init.dialRetries ?? DEFAULT_CLIENT_DIAL_RETRIES
  }

  private async open (gateway: GatewayAddress, signal: AbortSignal): Promise<Stream> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.dialer.dialProtocol(gateway, OFFLOAD_PROTOCOL, { signal })
      } catch (err) {
        if (attempt >= this.dialRetries || signal.aborted) throw err
      }
    }
  }

  /** the conversation's deadline also bounds the dial and protocol negotiation (libp2p's own default is shorter) */
  private deadline (signal?: AbortSignal): AbortSignal {
    const t = AbortSignal.timeout(this.timeoutMs)
    return signal === undefined ? t : AbortSignal.any([t, signal])
  }

  /** Handshake + offload through `gateway`. Throws OffloadRefusedError when the gateway declines. */
  async offload (gateway: GatewayAddress, req: DeviceRequirements, options: AbortOptions = {}): Promise<OffloadResult> {
    const wire = requirementsToWire(req)
    checkRequirements(wire)
    const signal = this.deadline(options.signal)
    const stream = await this.open(gateway, signal)
    const ch = openOffloadChannel(stream, { timeoutMs: this.timeoutMs, signal })
    try {
      send(ch, { kind: OffloadMessage.Kind.HANDSHAKE, handshake: wire })
      const ack = (await receive(ch, OffloadMessage.Kind.HANDSHAKE_ACK)).handshakeAck
      if (ack === undefined || !ack.accepted) throw new OffloadRefusedError(`handshake refused by ${ack?.gateway ?? 'gateway'}: ${ack?.reason ?? 'no reason'}`)
      send(ch, { kind: OffloadMessage.Kind.OFFLOAD })
      const offer = (await receive(ch, OffloadMessage.Kind.OFFER)).offer
      await ch.close()
      const candidates = (offer?.candidates ?? []).map(placementFromWire)
      if (offer?.device !== req.device || candidates.length === 0) throw new OffloadRefusedError(`offer for ${offer?.device ?? '?'} with ${candidates.length} candidates, expected one for ${req.device}`)
      return { gateway: ack.gateway, candidates, placement: candidates[0] }
    } catch (err) {
      ch.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  /** Release phase: the gateway frees the reservation on `en`. Resolves to whether one was held. */
  async release (gateway: GatewayAddress, device: string, en: string, options: AbortOptions = {}): Promise<boolean> {
    const signal = this.deadline(options.signal)
    const stream = await this.open(gateway, signal)
    const reply = await ask(stream, { kind: OffloadMessage.Kind.RELEASE, release: { device, en } }, OffloadMessage.Kind.RELEASE_ACK, { timeoutMs: this.timeoutMs, signal })
    return reply.releaseAck?.released ?? false
  }
}

export function createOffloadClient (components: OffloadClientComponents, init: OffloadClientInit = {}): OffloadClient {
  return new OffloadClient(components, init)
}
