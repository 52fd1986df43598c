/**
 * Samples this process' CPU and memory for the registry. A sampled value is
 * published at most every LOAD_REFRESH_MS, bucketed (CPU to 10 %, memory to
 * 32 MiB), so noisy measurements do not rewrite the registry every heartbeat
 * and registries can settle. Load that features set explicitly (running EFs,
 * queues, offload clients) is published at once by them.
 */
import type { Load } from '../protocols/index.js'

const CPU_BUCKET_PERMILLE = 100
const RSS_BUCKET_BYTES = 32 * 1024 * 1024
export const LOAD_REFRESH_MS = 15_000

export class LoadSampler {
  private last = process.cpuUsage()
  private lastAt = performance.now()
  private publishedAt = -Infinity
  private readonly cores: number

  constructor (cores: number) { this.cores = cores }

  /** The bucketed load, or undefined while the last published value is fresh. */
  sample (): Partial<Load> | undefined {
    const now = performance.now()
    if (now - this.publishedAt < LOAD_REFRESH_MS) return undefined
    const usage = process.cpuUsage(this.last)
    const wallUs = Math.max(1, (now - this.lastAt) * 1000)
    this.last = process.cpuUsage()
    this.lastAt = now
    this.publishedAt = now
    const permille = Math.min(1000, ((usage.user + usage.system) / wallUs / this.cores) * 1000)
    const rss = process.memoryUsage.rss()
    return {
      cpuPermille: Math.round(permille / CPU_BUCKET_PERMILLE) * CPU_BUCKET_PERMILLE,
      memoryRssBytes: BigInt(Math.round(rss / RSS_BUCKET_BYTES) * RSS_BUCKET_BYTES)
    }
  }
}
