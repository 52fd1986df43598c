/**
 * Simulated mobile devices: requirements from the paper's device profiles (Table 2) and an FPS
 * target, as the published simulator builds them (payload = one second of 33 KB frames, eps_b =
 * the local energy of one second of frames).
 */
import { DEFAULT_FRAME_SIZE_KB, MOBILE_PROFILES } from '../nimbus/index.js'
import type { DeviceRequirements } from './codec.js'
import { InvalidOffloadConfigError } from './errors.js'

export type MobileProfileName = keyof typeof MOBILE_PROFILES

export interface SimulatedDeviceInit {
  /** @default 'Mobile_A' */
  profile?: MobileProfileName
  /** frames per second the application needs; eps_t = 1000 / fps. @default 15 */
  fps?: number
  /** @default 33 */
  frameKB?: number
  lteMbps?: number
  cloudRttMs?: Record<string, number>
  leaseMs?: number
}

export function simulatedDevice (device: string, init: SimulatedDeviceInit = {}): DeviceRequirements {
  const name = init.profile ?? 'Mobile_A'
  if (!Object.hasOwn(MOBILE_PROFILES, name)) throw new InvalidOffloadConfigError(`profile: must be one of ${Object.keys(MOBILE_PROFILES).join(', ')}, got ${String(name)}`)
  const fps = init.fps ?? 15
  if (!(fps > 0) || !Number.isFinite(fps)) throw new InvalidOffloadConfigError(`fps: must be a finite number > 0, got ${fps}`)
  const p = MOBILE_PROFILES[name]
  const localEnergyMJ = p.energyPerFrameMJ * fps
  const out: DeviceRequirements = {
    device,
    epsT: 1000 / fps,
    epsB: localEnergyMJ,
    payloadKB: (init.frameKB ?? DEFAULT_FRAME_SIZE_KB) * fps,
    localLatencyMs: p.localLatencyMs,
    localEnergyMJ
  }
  if (init.lteMbps !== undefined) out.lteMbps = init.lteMbps
  if (init.cloudRttMs !== undefined) out.cloudRttMs = init.cloudRttMs
  if (init.leaseMs !== undefined) out.leaseMs = init.leaseMs
  return out
}
