/**
 * Registry convergence: after each membership change (start, crash,
 * restart, partition, heal), the time until every live peer's registry lists
 * exactly the live peers it can reach and all of them report the same
 * digest. Under a partition each side converges on its own view, so peers
 * are grouped into connected components first.
 */
import type { ConvergenceRecord } from './results.js'
import type { SimPeerHandle } from '../types.js'

export interface ConvergenceView {
  /** live peers now */
  live: () => ReadonlyMap<string, SimPeerHandle>
  /** true when the emulator lets a and b talk */
  reachable: (a: string, b: string) => boolean
}

/** Live peers grouped so that peers in one group can reach each other (union-find). */
export function components (names: readonly string[], reachable: (a: string, b: string) => boolean): string[][] {
  const parent = new Map(names.map(n => [n, n]))
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r) ?? r
    parent.set(x, r)
    return r
  }
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (reachable(names[i], names[j])) parent.set(find(names[i]), find(names[j]))
    }
  }
  const groups = new Map<string, string[]>()
  for (const n of names) {
    const r = find(n)
    const g = groups.get(r)
    if (g === undefined) groups.set(r, [n]); else g.push(n)
  }
  return [...groups.values()]
}

export class ConvergenceTracker {
  readonly records: ConvergenceRecord[] = []
  private readonly view: ConvergenceView
  private readonly timeoutMs: number
  private pending: ConvergenceRecord | undefined

  constructor (view: ConvergenceView, timeoutMs: number) {
    this.view = view
    this.timeoutMs = timeoutMs
  }

  /** Opens a record for a change; a change still converging is superseded. Returns the record's index. */
  change (label: string, atMs: number): number {
    if (this.pending !== undefined) this.pending.status = 'superseded'
    this.pending = { change: label, atMs, status: 'pending' }
    this.records.push(this.pending)
    return this.records.length - 1
  }

  get converging (): boolean {
    return this.pending !== undefined
  }

  /** Checks the peers now; call periodically. */
  poll (nowMs: number): void {
    const p = this.pending
    if (p === undefined) return
    if (this.converged()) {
      p.status = 'converged'
      p.convergedMs = nowMs - p.atMs
      this.pending = undefined
    } else if (nowMs - p.atMs > this.timeoutMs) {
      p.status = 'timeout'
      this.pending = undefined
    }
  }

  /** Marks a change still pending at the end of the run as timed out. */
  finish (): void {
    if (this.pending !== undefined) this.pending.status = 'timeout'
    this.pending = undefined
  }

  private converged (): boolean {
    const live = this.view.live()
    if (live.size === 0) return true
    for (const group of components([...live.keys()], this.view.reachable)) {
      const expected = new Set(group.map(n => live.get(n)?.peerId))
      let digest: string | undefined
      for (const name of group) {
        const h = live.get(name)
        if (h === undefined) continue
        const members = h.registryMembers()
        if (members.length !== expected.size || members.some(m => !expected.has(m))) return false
        const d = h.registryDigest()
        if (digest === undefined) digest = d
        else if (d !== digest) return false
      }
    }
    return true
  }
}
