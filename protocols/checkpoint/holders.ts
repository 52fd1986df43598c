/**
 * Who holds which checkpoint, and which epoch is current: a map of max registers
 * (crdt MaxMap) replicated to every checkpoint peer. Keys:
 *
 *   h|<instance>|<peer>  (epoch, 0)    peer resumed (hosts) the instance at epoch
 *   r|<instance>|<peer>  (epoch, seq)  peer holds the checkpoint (epoch, step seq)
 *
 * The current epoch of an instance is the largest claimed one; two peers claiming the
 * same epoch (views that disagreed during a partition) are ordered by PeerId, so every
 * replica names the same winner and the other copy stops (fencing).
 */
import { createMaxMap, type MaxMap, type MaxMapChange } from '../../crdt/index.js'

export interface HolderVersion {
  peer: string
  epoch: number
  seq: number
}

export interface EpochClaim {
  epoch: number
  host: string
}

const SEP = '|'

function parseKey (key: string): { kind: string, instance: string, peer: string } | undefined {
  const first = key.indexOf(SEP)
  const last = key.lastIndexOf(SEP)
  if (first < 0 || last <= first) return undefined
  return { kind: key.slice(0, first), instance: key.slice(first + 1, last), peer: key.slice(last + 1) }
}

/** a beats b as host claim: higher epoch, then the smaller PeerId. */
export function claimWins (a: EpochClaim, b: EpochClaim | undefined): boolean {
  if (b === undefined) return true
  if (a.epoch !== b.epoch) return a.epoch > b.epoch
  return a.host < b.host
}

export class CheckpointHolders {
  readonly map: MaxMap
  private readonly hosts = new Map<string, EpochClaim>()
  private readonly held = new Map<string, Map<string, HolderVersion>>()

  constructor (map: MaxMap = createMaxMap()) {
    this.map = map
    this.index([...map.entries()].map(([key, value]) => ({ key, value, previous: undefined })))
  }

  /** Records that `peer` hosts `instance` from `epoch` on; returns the encoded delta. */
  claimHost (instance: string, peer: string, epoch: number): Uint8Array {
    const delta = this.map.raise(`h${SEP}${instance}${SEP}${peer}`, { epoch, seq: 0 })
    this.index(delta.entries.map((e) => ({ key: e.key, value: e.value, previous: undefined })))
    return this.map.encodeDelta(delta)
  }

  /** Records that `peer` holds checkpoint (epoch, seq); returns the encoded delta. */
  recordHeld (instance: string, peer: string, epoch: number, seq: number): Uint8Array {
    const delta = this.map.raise(`r${SEP}${instance}${SEP}${peer}`, { epoch, seq })
    this.index(delta.entries.map((e) => ({ key: e.key, value: e.value, previous: undefined })))
    return this.map.encodeDelta(delta)
  }

  /** Merges an encoded delta or state; returns the instances whose host claim changed. */
  mergeBytes (bytes: Uint8Array): string[] {
    return this.index(this.map.mergeBytes(bytes))
  }

  /** The winning host claim of an instance. */
  current (instance: string): EpochClaim | undefined {
    return this.hosts.get(instance)
  }

  holders (instance: string): HolderVersion[] {
    return [...(this.held.get(instance)?.values() ?? [])]
  }

  instances (): string[] {
    return [...new Set([...this.hosts.keys(), ...this.held.keys()])]
  }

  private index (changes: MaxMapChange[]): string[] {
    const changedHosts = new Set<string>()
    for (const { key, value } of changes) {
      const k = parseKey(key)
      if (k === undefined) continue
      if (k.kind === 'h') {
        const claim = { epoch: value.epoch, host: k.peer }
        if (claimWins(claim, this.hosts.get(k.instance))) {
          this.hosts.set(k.instance, claim)
          changedHosts.add(k.instance)
        }
      } else if (k.kind === 'r') {
        let m = this.held.get(k.instance)
        if (m === undefined) { m = new Map(); this.held.set(k.instance, m) }
        m.set(k.peer, { peer: k.peer, epoch: value.epoch, seq: value.seq })
      }
    }
    return [...changedHosts]
  }
}
