/**
 * Samples this process' CPU and memory for the registry. Values are bucketed
 * (CPU to 10 %, memory to 32 MiB) so an idle peer's entry does not change
 * every heartbeat and registries can settle.
 */
import type { Load } from '../protocols/index.js'

const CPU_BUCKET_PERMILLE = 100
const RSS_BUCKET_BYTES = 32 * 1024 * 1024

export class LoadSampler {
  private last = process.cpuUsage()
  private lastAt = performance.now()
  private readonly cores: number

  constructor (cores: number) { this.cores = cores }

  sample (): Partial<Load> {
    const now = performance.now()
    const usage = process.cpuUsage(this.last)
    const wallUs = Math.max(1, (now - this.lastAt) * 1000)
    this.last = process.cpuUsage()
    this.lastAt = now
    const permille = Math.min(1000, ((usage.user + usage.system) / wallUs / this.cores) * 1000)
    const rss = process.memoryUsage.rss()
    return {
      cpuPermille: Math.round(permille / CPU_BUCKET_PERMILLE) * CPU_BUCKET_PERMILLE,
      memoryRssBytes: BigInt(Math.round(rss / RSS_BUCKET_BYTES) * RSS_BUCKET_BYTES)
    }
  }
}
