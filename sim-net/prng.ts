/**
 * Seeded PRNG (sfc32, seeded through splitmix32) so a scenario with the same
 * seed places nodes, jitters links and drops segments the same way. Separate
 * concerns fork their own stream by label, so adding a draw in one place does
 * not shift every other draw.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next: () => number
  /** integer in [lo, hi] */
  int: (lo: number, hi: number) => number
  /** standard normal (Box-Muller) */
  normal: () => number
  /** an independent stream derived from this seed and a label */
  fork: (label: string) => Rng
}

function splitmix32 (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** FNV-1a of a label, to mix into a seed. */
function hashLabel (label: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

export function createRng (seed: number): Rng {
  const init = splitmix32(seed)
  let a = init(); let b = init(); let c = init(); let d = init()
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => {
      const u = 1 - next()
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
    fork: (label) => createRng((seed ^ hashLabel(label)) >>> 0)
  }
}
