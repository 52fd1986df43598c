/**
 * Which runs a stage instance started or completed, as ranges, with a count of
 * runs seen more than once (must stay 0: no EF sees a bundle twice). Bounded:
 * only the newest runs are kept.
 */
const MAX_RUNS = 4096

export interface RunLogJson {
  /** [first, last] ranges of runs, per stage instance (`stage.slot`) */
  runs: Record<string, Array<[number, number]>>
  /** runs recorded twice or more */
  repeats: number
}

export class RunLog {
  private readonly byInstance = new Map<string, Map<bigint, number>>()
  repeats = 0

  add (instance: string, run: bigint): void {
    let m = this.byInstance.get(instance)
    if (m === undefined) { m = new Map(); this.byInstance.set(instance, m) }
    const n = (m.get(run) ?? 0) + 1
    if (n > 1) this.repeats++
    m.set(run, n)
    if (m.size > MAX_RUNS) m.delete(m.keys().next().value ?? run)
  }

  has (instance: string, run: bigint): boolean { return this.byInstance.get(instance)?.has(run) === true }

  toJSON (): RunLogJson {
    const runs: RunLogJson['runs'] = {}
    for (const [inst, m] of this.byInstance) {
      const sorted = [...m.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0).map(Number)
      const ranges: Array<[number, number]> = []
      for (const r of sorted) {
        const last = ranges[ranges.length - 1]
        if (last !== undefined && r === last[1] + 1) last[1] = r
        else ranges.push([r, r])
      }
      runs[inst] = ranges
    }
    return { runs, repeats: this.repeats }
  }
}
