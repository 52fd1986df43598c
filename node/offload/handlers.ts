/**
 * Inbound conversations of /ecco/offload/1.0.0, dispatched on the first frame's kind:
 * HANDSHAKE (+ OFFLOAD) from devices at a gateway, RELEASE from devices or gateways, SOLVE from
 * gateways and slice solvers, RESERVE from solvers. Requests that only members may make are
 * checked against the registry; a failed request is answered with an ERROR, a malformed one
 * is dropped and counted.
 */
import type { Stream } from '@libp2p/interface'
import {
  checkRequirements, decodeOffloadMessage, InvalidMessageError, NoSolverError, offloadErrorMessage, OffloadMessage, openOffloadChannel,
  OffloadRefusal, placementToWire, receiveOffloadMessage, requirementsFromWire, sendOffloadMessage,
  type FrameChannel, type OffloadPlacement, type OffloadRequirements as Requirements
} from '../../protocols/index.js'
import { DEFAULT_MAX_PENDING } from './constants.js'
import type { NimbusOffload } from './feature.js'
import { solutionToWire, solveFromWire } from './wire.js'

type Reply = Omit<OffloadMessage, 'version'>

export class OffloadHandlers {
  private readonly f: NimbusOffload

  constructor (feature: NimbusOffload) {
    this.f = feature
  }

  private get timeoutMs (): number {
    // a device's conversation spans the batch window, both stages and the reservations
    return this.f.config.batchWindowMs + 2 * this.f.config.solveTimeoutMs
  }

  async handle (stream: Stream, from: string): Promise<void> {
    const ch = openOffloadChannel(stream, { timeoutMs: this.timeoutMs, signal: this.f.shutdownSignal })
    try {
      const first = decodeOffloadMessage(await ch.read())
      switch (first.kind) {
        case OffloadMessage.Kind.HANDSHAKE: await this.handshake(ch, first.handshake, from); break
        case OffloadMessage.Kind.RELEASE: sendOffloadMessage(ch, await this.release(first, from)); break
        case OffloadMessage.Kind.SOLVE: sendOffloadMessage(ch, await this.solve(first, from)); break
        case OffloadMessage.Kind.RESERVE: sendOffloadMessage(ch, await this.reserve(first, from)); break
        default: throw new InvalidMessageError(`OffloadMessage.kind: ${first.kind} cannot open a conversation`)
      }
      await ch.close()
    } catch (err) {
      if (err instanceof InvalidMessageError) this.f.stats.invalidMessages++
      ch.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  private refuse (ch: FrameChannel, reason: string): void {
    this.f.stats.refusedHandshakes++
    sendOffloadMessage(ch, { kind: OffloadMessage.Kind.HANDSHAKE_ACK, handshakeAck: { accepted: false, reason, gateway: this.f.self } })
  }

  /** Gateway: handshake (requirements) then offload (candidate list), on one stream. */
  private async handshake (ch: FrameChannel, req: Requirements | undefined, from: string): Promise<void> {
    if (req === undefined) return
    if (!this.f.gateway) { this.refuse(ch, `${this.f.self} is not a gateway (tier ${this.f.peer.config.tier})`); return }
    try {
      checkRequirements(req)
    } catch (err) {
      this.refuse(ch, (err as Error).message)
      return
    }
    if (this.f.batcher.pending >= DEFAULT_MAX_PENDING) { this.refuse(ch, `busy: ${this.f.batcher.pending} devices waiting`); return }
    this.f.stats.handshakes++
    sendOffloadMessage(ch, { kind: OffloadMessage.Kind.HANDSHAKE_ACK, handshakeAck: { accepted: true, reason: '', gateway: this.f.self } })
    await receiveOffloadMessage(ch, OffloadMessage.Kind.OFFLOAD)
    let candidates: OffloadPlacement[]
    try {
      candidates = await this.f.batcher.submit(requirementsFromWire(req), from)
    } catch (err) {
      sendOffloadMessage(ch, offloadErrorMessage(err instanceof NoSolverError ? err.code : 'ERR_OFFLOAD_FAILED', (err as Error).message))
      return
    }
    this.f.stats.offers[candidates[0].target]++
    sendOffloadMessage(ch, { kind: OffloadMessage.Kind.OFFER, offer: { device: req.device, candidates: candidates.map(placementToWire) } })
  }

  /**
   * From the gateway a reservation was made for (or the solver that made it): release it here.
   * From the client that attached the device at this gateway: forward to the EN holding it.
   */
  private async release (msg: OffloadMessage, from: string): Promise<Reply> {
    const r = msg.release
    const ack = (released: boolean): Reply => ({ kind: OffloadMessage.Kind.RELEASE_ACK, releaseAck: { released } })
    if (r === undefined) return ack(false)
    const held = this.f.table.get(r.device)
    if (held !== undefined && (held.gateway === from || held.holder === from)) return ack(await this.f.releaseLocal(r.device, from))
    const a = this.f.batcher.detach(r.device, from)
    if (a === undefined) return ack(false)
    const en = a.placement.en
    if (a.placement.target !== 'edge' || en === undefined) return ack(true)
    if (en === this.f.self) return ack(await this.f.releaseLocal(r.device, this.f.self))
    try {
      const reply = await this.f.call(en, { kind: OffloadMessage.Kind.RELEASE, release: { device: r.device, en } }, OffloadMessage.Kind.RELEASE_ACK, this.f.config.reserveTimeoutMs)
      return ack(reply.releaseAck?.released ?? false)
    } catch (err) {
      // the EN is unreachable: its lease ends the reservation
      this.f.log.warn('release forward failed', { device: r.device, en, error: err })
      return ack(false)
    }
  }

  private isMember (peerId: string): boolean {
    return this.f.members().some((m) => m.peerId === peerId)
  }

  private async solve (msg: OffloadMessage, from: string): Promise<Reply> {
    if (msg.solve === undefined) throw new InvalidMessageError('Solve: missing')
    if (!this.isMember(from)) return offloadErrorMessage('ERR_NOT_MEMBER', `${from} is not a Nimbus member in this registry`)
    let input: ReturnType<typeof solveFromWire>
    try {
      input = solveFromWire(msg.solve, this.f.members())
    } catch (err) {
      // e.g. a gateway this registry does not know yet: the sender moves on to the next solver
      return offloadErrorMessage('ERR_INVALID_SOLVE', (err as Error).message)
    }
    if (input.stage === 1 && input.slice !== this.f.slice) return offloadErrorMessage('ERR_WRONG_SLICE', `slice ${input.slice} is not ${this.f.slice}`)
    try {
      const out = await this.f.solveLocally(input, this.f.shutdownSignal)
      return { kind: OffloadMessage.Kind.SOLUTION, solution: solutionToWire(out) }
    } catch (err) {
      return offloadErrorMessage('ERR_SOLVE_FAILED', (err as Error).message)
    }
  }

  /** EN role: every verdict comes from the reservation table's `fits`. */
  private async reserve (msg: OffloadMessage, from: string): Promise<Reply> {
    const candidates = msg.reserve?.candidates ?? []
    if (!this.isMember(from)) {
      const message = `${from} is not a Nimbus member in this registry`
      return {
        kind: OffloadMessage.Kind.RESERVE_REPLY,
        reserveReply: { verdicts: candidates.map((c) => ({ device: c.device, ok: false, reason: OffloadRefusal.NOT_MEMBER, message, inferenceMs: 0 })), summary: this.f.table.summary() }
      }
    }
    candidates.forEach((c, i) => {
      if (c.device === '' || !Number.isFinite(c.networkMs) || c.networkMs < 0 || !(c.epsT > 0) || !(c.epsB > 0)) {
        throw new InvalidMessageError(`Reserve.candidates[${i}]: device, networkMs >= 0, epsT > 0 and epsB > 0 are required`)
      }
    })
    const r = await this.f.reserveLocal(from, candidates)
    return { kind: OffloadMessage.Kind.RESERVE_REPLY, reserveReply: r }
  }
}
