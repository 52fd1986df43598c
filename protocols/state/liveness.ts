/**
 * The liveness view: what this peer believes of every other peer's heartbeat,
 * kept by exception (SWIM's idea on top of beat vectors). A peer's beat is
 * heard directly by its connected members every few heartbeats; the rest of
 * the fleet hears of it only when something changes — a new peer, a
 * suspicion, its refutation, a peer leaving — plus once per refresh period,
 * so that a peer cut off with none of its members able to tell (the far side
 * of a partition) still goes stale. Relaying every beat to everyone, the
 * previous design, cost every peer O(fleet) entries per vector: O(N²) a
 * second for the fleet, the wall one process hit at 150 peers.
 *
 * Entries are ordered by (beat, suspected): a newer beat refutes a suspicion
 * of an older one, and a suspicion of a beat wins over the beat itself. A
 * suspicion turns into gone at its deadline unless refuted, and the deadline
 * travels with it, so the fleet declares a peer gone at about the same time.
 * A peer stopping says so itself: a suspicion of its last beat with no time
 * left.
 *
 * Pure logic over local time: the beats exchange (beats.ts) feeds it and
 * reads what to send; state-gossip.ts ticks it and reports transitions.
 */
import { BEAT_REFRESH_HEARTBEATS, BEAT_STALE_REFRESHES, BEAT_SUSPECT_GONE_PERIODS, MAX_BEAT_ENTRIES } from './constants.js'
import type { BeatStats } from './index.js'

export interface LivenessInit {
  self: string
  heartbeatMs: number
  goneAfterMs: number
  /** ticks a change stays news: every beats stream gets a vector within them */
  changeTicks: number
  /** a member went live or gone here */
  onTransition: (peer: string, live: boolean) => void
  /** counted into; owned by the caller */
  stats: Pick<BeatStats, 'suspicions' | 'silentSuspicions' | 'refutations'>
  /** bounds the view against intros of made-up peers */
  maxPeers?: number
}

/** One peer as seen here. Times are local (ms since epoch); `beat` is the peer's own clock. */
export interface PeerLiveness {
  beat: number
  suspect: boolean
  /** when a suspicion turns into gone */
  goneAt: number
  /** when the beat last advanced here */
  heardAt: number
  live: boolean
  /** spreads the refresh epochs of the fleet over the period: a beat is news again when it enters a new one */
  phase: number
  /** the last tick whose vectors carry this entry */
  newsUntil: number
}

export class LivenessView {
  private readonly init: LivenessInit
  private readonly views = new Map<string, PeerLiveness>()
  private readonly news = new Set<string>()
  private readonly refreshMs: number
  private readonly staleMs: number
  private readonly silentMs: number
  private readonly suspectMs: number
  private readonly maxPeers: number
  private ticks = 0

  constructor (init: LivenessInit) {
    this.init = init
    this.refreshMs = init.heartbeatMs * BEAT_REFRESH_HEARTBEATS
    this.staleMs = this.refreshMs * BEAT_STALE_REFRESHES + init.goneAfterMs
    // a member's stream carries a vector at least once per gone period (the rotation): one
    // heartbeat more of silence is a missed vector, not a late one
    this.silentMs = init.goneAfterMs + init.heartbeatMs
    this.suspectMs = init.goneAfterMs * BEAT_SUSPECT_GONE_PERIODS
    this.maxPeers = init.maxPeers ?? MAX_BEAT_ENTRIES
  }

  get (peer: string): PeerLiveness | undefined { return this.views.get(peer) }

  isLive (peer: string): boolean { return this.views.get(peer)?.live ?? false }

  /** Every entry worth telling a member that has heard nothing from us yet. */
  * all (): Iterable<[string, PeerLiveness]> {
    for (const e of this.views) if (e[1].live || e[1].suspect) yield e
  }

  /** The entries vectors of this tick carry besides the sender's own beat. */
  * changed (): Iterable<[string, PeerLiveness]> {
    for (const peer of this.news) {
      const v = this.views.get(peer)
      if (v !== undefined && v.newsUntil >= this.ticks) yield [peer, v]
    }
  }

  /** `peer` beat at `beat`: from its own vector, or relayed. */
  beat (peer: string, beat: number, now: number): void {
    if (peer === this.init.self) return
    const v = this.views.get(peer)
    if (v === undefined) { this.adopt(peer, beat, false, now, now); return }
    if (beat <= v.beat) return
    const refresh = this.epochOf(v.phase, beat) > this.epochOf(v.phase, v.beat)
    v.beat = beat
    v.heardAt = now
    if (v.suspect || !v.live) {
      if (v.suspect && v.live) this.init.stats.refutations++
      v.suspect = false
      this.spread(peer, v, this.init.changeTicks)
    } else if (refresh) {
      this.spread(peer, v, 1)
    }
    if (!v.live) this.transition(peer, v, true)
  }

  /**
   * A member suspects `peer` of not having beaten since `beat`; gone in
   * `goneInMs` unless refuted. Only the peer itself may leave no time: a
   * relayed suspicion gets at least a gone period for the refutation, so a
   * dishonest member cannot make a live peer look gone at once.
   */
  suspected (peer: string, beat: number, goneInMs: number, now: number, fromItself: boolean): void {
    if (peer === this.init.self) return
    const goneAt = now + (fromItself ? goneInMs : Math.max(goneInMs, this.init.goneAfterMs))
    const v = this.views.get(peer)
    if (v === undefined) { this.adopt(peer, beat, true, now, goneAt); return }
    if (beat < v.beat || (beat === v.beat && v.suspect)) {
      // we heard it beat since: tell the fleet, so the suspicion does not stand anywhere
      if (beat < v.beat && !v.suspect && v.live) this.spread(peer, v, this.init.changeTicks)
      return
    }
    if (beat > v.beat) { v.beat = beat; v.heardAt = now }
    v.suspect = true
    v.goneAt = goneAt
    this.spread(peer, v, this.init.changeTicks)
    if (v.live && goneAt <= now) this.transition(peer, v, false)
  }

  /** This peer suspects `peer`: its connection ended, or it fell `silent` on one that stayed open. */
  suspect (peer: string, now: number, silent = false): void {
    const v = this.views.get(peer)
    if (v === undefined || v.suspect || !v.live) return
    this.init.stats.suspicions++
    if (silent) this.init.stats.silentSuspicions++
    v.suspect = true
    v.goneAt = now + this.suspectMs
    this.spread(peer, v, this.init.changeTicks)
  }

  /** A signed announcement of `peer` arrived: it is alive, though we know no beat of it yet. */
  announced (peer: string, now: number): void {
    if (peer !== this.init.self && !this.views.has(peer)) this.adopt(peer, 0, false, now, now)
  }

  /**
   * Once per heartbeat, before the vectors go out: news ages, deadlines pass.
   * `stalledMs` (this peer's event loop was stuck, reading nothing) extends
   * every deadline: that time is not the peers' silence. `direct`: peers with
   * a beats stream open to us, whose silence is ours to notice.
   */
  tick (now: number, stalledMs: number, direct: Iterable<string>): void {
    this.ticks++
    for (const peer of this.news) if ((this.views.get(peer)?.newsUntil ?? -1) < this.ticks) this.news.delete(peer)
    for (const [peer, v] of this.views) {
      if (stalledMs > 0) {
        v.heardAt = Math.min(now, v.heardAt + stalledMs)
        if (v.suspect) v.goneAt += stalledMs
      }
      if (v.live && (v.suspect ? now >= v.goneAt : now - v.heardAt > this.staleMs)) this.transition(peer, v, false)
      // long gone: forgotten, so the view does not grow with every peer that ever passed
      else if (!v.live && now - v.heardAt > this.staleMs * 10 && !this.news.has(peer)) this.views.delete(peer)
    }
    for (const peer of direct) {
      const v = this.views.get(peer)
      if (v !== undefined && now - v.heardAt > this.silentMs) this.suspect(peer, now, true)
    }
  }

  private adopt (peer: string, beat: number, suspect: boolean, now: number, goneAt: number): void {
    if (this.views.size >= this.maxPeers) return
    const phase = phaseOf(peer, this.refreshMs)
    // a peer first heard of as suspected was never seen live here: no transition either way
    const v: PeerLiveness = { beat, suspect, goneAt, heardAt: now, live: !suspect, phase, newsUntil: 0 }
    this.views.set(peer, v)
    this.spread(peer, v, this.init.changeTicks)
    if (v.live) this.init.onTransition(peer, true)
  }

  private spread (peer: string, v: PeerLiveness, ticks: number): void {
    v.newsUntil = Math.max(v.newsUntil, this.ticks + ticks)
    this.news.add(peer)
  }

  private transition (peer: string, v: PeerLiveness, live: boolean): void {
    v.live = live
    this.init.onTransition(peer, live)
  }

  private epochOf (phase: number, beat: number): number {
    return Math.floor((beat + phase) / this.refreshMs)
  }
}

/** A stable offset per peer, so the fleet's refreshes do not all fall on the same heartbeat. */
function phaseOf (peer: string, period: number): number {
  let h = 0
  for (let i = Math.max(0, peer.length - 8); i < peer.length; i++) h = (h * 31 + peer.charCodeAt(i)) >>> 0
  return h % period
}
