/**
 * Defaults of the Nimbus model, all from the paper (shared/seed lines 2673-3240) or, where the
 * paper gives no number, from the published simulator's hyperparams (REFERENCE-ALGORITHM.md section 8).
 */
import type { NimbusTier, QueueCurve } from './types.js'

/** alpha of the balance-ensuring allocator (paper section 5) */
export const DEFAULT_ALPHA = 0.7
/** beta of the balance-ensuring allocator (paper section 5) */
export const DEFAULT_BETA = 0.3
/**
 * 2PMT stage 1 sees, per device, only the ENs among its AP's 8 lowest-RTT ENs overall (ours, not
 * the paper's: it keeps 8-slice 2PMT within a point of ST's allocation, bench:nimbus)
 */
export const DEFAULT_STAGE_ONE_NEAREST = 8
/** kappa = 0 explores every compatible EN (Table 4 setting) */
export const DEFAULT_KAPPA = 0
/** greedy: the nearest EN only (paper 7(C): best target from the network-latency perspective) */
export const DEFAULT_GREEDY_KAPPA = 1
/** w over Wi-Fi, mJ per ms of network latency */
export const DEFAULT_WIFI_ENERGY_PER_MS = 1.21
/** w over 4G, mJ per ms of network latency */
export const DEFAULT_LTE_ENERGY_PER_MS = 2.5
/** the published simulator inflates the Wi-Fi cloud RTT by 20 % */
export const DEFAULT_CLOUD_WIFI_RTT_FACTOR = 1.2
/** constant cloud execution latency (paper 7(C): 5 ms, no queue) */
export const DEFAULT_CLOUD_INFERENCE_MS = 5
/** nominal Wi-Fi rate of an AP (paper section 6) */
export const DEFAULT_AP_BANDWIDTH_MBPS = 300
/** frame size; the payload is one second of frames (REFERENCE-ALGORITHM section 2) */
export const DEFAULT_FRAME_SIZE_KB = 33
/** seed of the reference mode's random draws */
export const DEFAULT_SEED = 1
/** slack for floating-point comparisons of latencies in ms */
export const EPSILON_MS = 1e-9

/** Queue curves fitted to the Triton benchmarks (tiers.json). */
export const DEFAULT_QUEUE_CURVES: Record<NimbusTier, QueueCurve> = {
  t1: { slopeMs: 23.314395066539365, interceptMs: -41.494938575177194 },
  t2: { slopeMs: 7.0859936869773295, interceptMs: -11.645419675380895 },
  t3: { slopeMs: 0.6556470588930683, interceptMs: -11.880029883197805 }
}

/** Mean inference time per tier (tiers.json) */
export const DEFAULT_TET_MS: Record<NimbusTier, number> = {
  t1: 22.553923055459737,
  t2: 7.191809580726176,
  t3: 5.165057180119427
}

/** Mobile profiles of Table 2 (local inference ms, mJ per frame). */
export const MOBILE_PROFILES = {
  Mobile_A: { localLatencyMs: 154, energyPerFrameMJ: 182 },
  Mobile_B: { localLatencyMs: 116, energyPerFrameMJ: 318 },
  Mobile_C: { localLatencyMs: 190, energyPerFrameMJ: 268 }
} as const
