/** Seeded PRNG (sfc32 seeded through splitmix32) with the few draws Nimbus needs. */
export interface NimbusRng {
  /** uniform in [0, 1) */
  next: () => number
  /** uniform integer in [0, n) */
  int: (n: number) => number
  /** Normal(mean, sd) by Box-Muller */
  normal: (mean: number, sd: number) => number
  /** one element chosen uniformly */
  choice: <T>(items: readonly T[]) => T
  /** k distinct elements in random order (Python's random.sample) */
  sample: <T>(items: readonly T[], k: number) => T[]
  /** a new independent generator derived from this one */
  fork: () => NimbusRng
}

function splitmix32 (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

export function createNimbusRng (seed: number): NimbusRng {
  const init = splitmix32(seed)
  let a = init(); let b = init(); let c = init(); let d = init()
  const u32 = (): number => {
    const t = (a + b + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t
  }
  for (let i = 0; i < 12; i++) u32()
  let spare: number | undefined
  const rng: NimbusRng = {
    next: () => u32() / 4294967296,
    int: (n) => Math.floor(rng.next() * n),
    normal: (mean, sd) => {
      if (spare !== undefined) {
        const v = spare
        spare = undefined
        return mean + sd * v
      }
      let u = 0
      while (u === 0) u = rng.next()
      const r = Math.sqrt(-2 * Math.log(u))
      const theta = 2 * Math.PI * rng.next()
      spare = r * Math.sin(theta)
      return mean + sd * r * Math.cos(theta)
    },
    choice: (items) => items[rng.int(items.length)],
    sample: (items, k) => {
      const pool = items.slice()
      const n = Math.min(k, pool.length)
      for (let i = 0; i < n; i++) {
        const j = i + rng.int(pool.length - i)
        const t = pool[i]; pool[i] = pool[j]; pool[j] = t
      }
      return pool.slice(0, n)
    },
    fork: () => createNimbusRng(u32())
  }
  return rng
}
