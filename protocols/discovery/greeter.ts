/**
 * Greets the neighbours a peer finds through the DHT: each learns the
 * finder's cell at once, without a lookup of its own. A failed hello (a slow
 * or briefly unreachable peer) is tried again a few times with growing
 * pauses, so a neighbour is not left waiting for our next lookup round.
 */
import type { Logger, PeerId } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import { InvalidMessageError } from '../wire/index.js'
import { HELLO_MAX_ATTEMPTS, HELLO_RETRY_MIN_MS } from './constants.js'
import { sendHello } from './hello.js'
import type { DiscoveryStats } from './index.js'

export interface GreeterInit {
  connectionManager: ConnectionManager
  log: Logger
  stats: DiscoveryStats
  timeoutMs: number
  /** our cell, as announced now */
  cell: () => string
  /** the cell a greeted peer answered with */
  onAnswer: (peer: PeerId, cell: string) => void
}

export class Greeter {
  private readonly init: GreeterInit
  /** peers that know us: they answered our hello, or sent theirs */
  private readonly greeted = new Set<string>()
  private readonly greeting = new Map<string, Promise<void>>()
  private readonly retries = new Map<string, { attempts: number, timer?: ReturnType<typeof setTimeout> }>()
  private shutdown?: AbortController

  constructor (init: GreeterInit) {
    this.init = init
  }

  start (): void {
    this.shutdown = new AbortController()
  }

  async stop (): Promise<void> {
    this.shutdown?.abort()
    this.shutdown = undefined
    for (const r of this.retries.values()) clearTimeout(r.timer)
    this.retries.clear()
    await Promise.allSettled(this.greeting.values())
  }

  knowsUs (peer: PeerId): boolean { return this.greeted.has(peer.toString()) }

  /** `peer` greeted us, so it knows us: no hello of ours is needed. */
  greetedBy (peer: PeerId): void {
    const key = peer.toString()
    this.greeted.add(key)
    clearTimeout(this.retries.get(key)?.timer)
    this.retries.delete(key)
  }

  /** Sends our cell to `peer` unless it knows us, a hello is on its way, or one is due to be retried. */
  greet (peer: PeerId): void {
    const key = peer.toString()
    const shutdown = this.shutdown
    if (shutdown === undefined || this.greeted.has(key) || this.greeting.has(key) || this.retries.get(key)?.timer !== undefined) return
    const { stats } = this.init
    stats.hellosOut++
    const p = sendHello(this.init.connectionManager, peer, this.init.cell(), { timeoutMs: this.init.timeoutMs, signal: shutdown.signal })
      .then((reply) => {
        this.greetedBy(peer)
        this.init.onAnswer(peer, reply.cell)
      })
      .catch((err: Error) => {
        if (shutdown.signal.aborted) return
        stats.helloErrors++
        if (err instanceof InvalidMessageError) stats.invalidMessages++
        this.init.log('hello to %p failed: %e', peer, err)
        this.retryLater(peer)
      })
      .finally(() => { this.greeting.delete(key) })
    this.greeting.set(key, p)
  }

  private retryLater (peer: PeerId): void {
    const key = peer.toString()
    const r = this.retries.get(key) ?? { attempts: 0 }
    r.attempts++
    // past the last attempt only a lookup that finds the peer again greets it
    if (r.attempts >= HELLO_MAX_ATTEMPTS) { this.retries.delete(key); return }
    r.timer = setTimeout(() => {
      r.timer = undefined
      this.greet(peer)
    }, HELLO_RETRY_MIN_MS * 2 ** (r.attempts - 1))
    r.timer.unref?.()
    this.retries.set(key, r)
  }
}
