import {
  DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_CLOUD_WIFI_RTT_FACTOR, DEFAULT_KAPPA, DEFAULT_LTE_ENERGY_PER_MS,
  DEFAULT_SEED, DEFAULT_WIFI_ENERGY_PER_MS
} from './constants.js'
import { InvalidNimbusInputError } from './errors.js'
import type { NimbusMode, NimbusTier } from './types.js'

/** How d/BW is computed for an edge node (see README "Differences"). */
export type PathBandwidth = 'bottleneck' | 'fastest'
/** N of the Wi-Fi R/N share. */
export type WifiShare = 'attached' | 'attached-plus-one'

export interface NimbusSolverInit {
  /** @default 'paper' */
  mode?: NimbusMode
  /** weight of L/eps_t in the score. @default 0.7 */
  alpha?: number
  /** weight of load/maxload in the score. @default 0.3 */
  beta?: number
  /** kappa: at most this many compatible ENs are scored; 0 = all. @default 0 */
  kappa?: number
  /** run LookAheadLoad in the Warmup phase. @default true */
  lookAheadLoad?: boolean
  /** reference mode: candidate list = the single lowest-RTT EN (the published greedy). @default false */
  greedy?: boolean
  /**
   * Paper mode: refuse an assignment that would push a device the EN already serves past its
   * deadline (the correction). The greedy variant turns it off: it is selfish by definition.
   * @default true
   */
  protectServed?: boolean
  /** Failover phase: closest cloud when the edge cannot serve. Off in 2PMT stage 1. @default true */
  cloudFailover?: boolean
  /**
   * Paper mode: send a device to the cloud when the cloud is feasible and faster than the best
   * EN (what the published simulator, which produced the paper's figures, does). Algorithm 1
   * read literally goes to the edge whenever it can (false); that spends scarce edge slots on
   * devices the cloud serves faster and serves 1-4 points fewer devices (README "Paper vs reference").
   * Only takes effect where the pass may decide the cloud (`cloudFailover`).
   * @default true
   */
  cloudWhenFaster?: boolean
  /** w over Wi-Fi (mJ/ms). @default 1.21 */
  wifiEnergyPerMs?: number
  /** w over 4G (mJ/ms). @default 2.5 */
  lteEnergyPerMs?: number
  /** multiplier on |cloud RTT| over Wi-Fi. @default 1.2 */
  cloudWifiRttFactor?: number
  /** @default 'bottleneck' in paper mode, 'fastest' in reference mode */
  pathBandwidth?: PathBandwidth
  /** @default 'attached' in paper mode, 'attached-plus-one' in reference mode */
  wifiShare?: WifiShare
  /** seed of the reference mode's random draws (kappa subset, fresh compute samples). @default 1 */
  seed?: number
  /**
   * Reference mode: per-tier compute-time samples; every inference estimate draws |choice(samples)|
   * as the published simulator does. Without them the EN's tetMs is used.
   * @default undefined
   */
  tetSamples?: Partial<Record<NimbusTier, number[]>>
  /** EN ids this solver may use (a slice); all when absent. @default undefined */
  slice?: readonly string[]
}

export interface ResolvedOptions {
  mode: NimbusMode
  alpha: number
  beta: number
  kappa: number
  lookAheadLoad: boolean
  greedy: boolean
  protectServed: boolean
  cloudFailover: boolean
  cloudWhenFaster: boolean
  wifiEnergyPerMs: number
  lteEnergyPerMs: number
  cloudWifiRttFactor: number
  pathBandwidth: PathBandwidth
  wifiShare: WifiShare
  seed: number
  tetSamples?: Partial<Record<NimbusTier, number[]>>
  slice?: readonly string[]
}

function check (ok: boolean, message: string): void {
  if (!ok) throw new InvalidNimbusInputError(message)
}

export function resolveOptions (init: NimbusSolverInit = {}): ResolvedOptions {
  const mode = init.mode ?? 'paper'
  check(mode === 'paper' || mode === 'reference', `mode: must be 'paper' or 'reference', got ${String(mode)}`)
  const o: ResolvedOptions = {
    mode,
    alpha: init.alpha ?? DEFAULT_ALPHA,
    beta: init.beta ?? DEFAULT_BETA,
    kappa: init.kappa ?? DEFAULT_KAPPA,
    lookAheadLoad: init.lookAheadLoad ?? true,
    greedy: init.greedy ?? false,
    protectServed: init.protectServed ?? true,
    cloudFailover: init.cloudFailover ?? true,
    cloudWhenFaster: init.cloudWhenFaster ?? true,
    wifiEnergyPerMs: init.wifiEnergyPerMs ?? DEFAULT_WIFI_ENERGY_PER_MS,
    lteEnergyPerMs: init.lteEnergyPerMs ?? DEFAULT_LTE_ENERGY_PER_MS,
    cloudWifiRttFactor: init.cloudWifiRttFactor ?? DEFAULT_CLOUD_WIFI_RTT_FACTOR,
    pathBandwidth: init.pathBandwidth ?? (mode === 'paper' ? 'bottleneck' : 'fastest'),
    wifiShare: init.wifiShare ?? (mode === 'paper' ? 'attached' : 'attached-plus-one'),
    seed: init.seed ?? DEFAULT_SEED,
    tetSamples: init.tetSamples,
    slice: init.slice
  }
  check(Number.isFinite(o.alpha) && o.alpha >= 0, `alpha: must be a finite number >= 0, got ${o.alpha}`)
  check(Number.isFinite(o.beta) && o.beta >= 0, `beta: must be a finite number >= 0, got ${o.beta}`)
  check(Number.isInteger(o.kappa) && o.kappa >= 0, `kappa: must be an integer >= 0, got ${o.kappa}`)
  check(o.wifiEnergyPerMs > 0, `wifiEnergyPerMs: must be > 0, got ${o.wifiEnergyPerMs}`)
  check(o.lteEnergyPerMs > 0, `lteEnergyPerMs: must be > 0, got ${o.lteEnergyPerMs}`)
  check(o.cloudWifiRttFactor > 0, `cloudWifiRttFactor: must be > 0, got ${o.cloudWifiRttFactor}`)
  check(o.pathBandwidth === 'bottleneck' || o.pathBandwidth === 'fastest', `pathBandwidth: must be 'bottleneck' or 'fastest', got ${String(o.pathBandwidth)}`)
  check(o.wifiShare === 'attached' || o.wifiShare === 'attached-plus-one', `wifiShare: must be 'attached' or 'attached-plus-one', got ${String(o.wifiShare)}`)
  return o
}
