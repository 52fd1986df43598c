// Crash detector. A crash is a deceleration pulse far beyond braking (or a sudden stop)
// followed by a blocked lane: the loop stays occupied while traffic stands still.
// Hard braking without blockage is reported as such (flags bit1) but is not a crash.
//
// Input: empty (acquire through the SAC; peak and last moving speed held in Unimem) or a 32-byte feature record
//   0 f64 peak deceleration m/s² (magnitude)   8 f64 speed before km/h
//   16 f64 speed after km/h                    24 f64 lane occupied for s
// Output: a detection record (kind CRASH, value = peak deceleration).
import {
  HANDLE_OK, KIND_CRASH, clamp01, clockMs, detection, emit, getFloat, inputF64, inputLength,
  reject, retransmit, sensorF64, setFloat
} from '../_lib/ecco'

/** About 2 g: beyond what tyres can do on a dry road, typical of an impact pulse. */
const IMPACT_DECEL: f64 = 20.0
/** Emergency braking on dry asphalt peaks around 8-10 m/s². */
const HARD_BRAKING_DECEL: f64 = 6.0
const STOPPED_KMH: f64 = 5.0
const SUDDEN_DROP_KMH: f64 = 30.0
const BLOCKED_S: f64 = 10.0
/** How long a deceleration peak counts towards a later blockage. */
const PEAK_HOLD_MS: f64 = 60_000

export function ecco_handle (): i32 {
  let decel: f64, before: f64, after: f64, occupied: f64
  const n = inputLength()
  if (n == 0) {
    // Sampled through the SAC: the impact pulse is over long before the lane counts as
    // blocked, so the peak deceleration and the last moving speed are held in Unimem.
    const now = clockMs()
    const current = -sensorF64('accelerometer')
    decel = getFloat('peak')
    if (current > decel || now - getFloat('peakAt') > PEAK_HOLD_MS) {
      decel = current
      setFloat('peak', current)
      setFloat('peakAt', now)
    }
    after = sensorF64('speed')
    before = getFloat('movingSpeed', after)
    if (after >= STOPPED_KMH) setFloat('movingSpeed', after)
    occupied = sensorF64('loop-occupancy')
  } else if (n == 32) {
    decel = inputF64(0)
    before = inputF64(8)
    after = inputF64(16)
    occupied = inputF64(24)
  } else {
    return retransmit('input: length ' + n.toString() + ', expected 0 or 32')
  }
  if (!(decel >= -200 && decel <= 2000)) return reject('deceleration: ' + decel.toString() + ' m/s² out of range')
  if (!(before >= 0 && before <= 400)) return reject('speedBefore: ' + before.toString() + ' km/h out of range [0, 400]')
  if (!(after >= 0 && after <= 400)) return reject('speedAfter: ' + after.toString() + ' km/h out of range [0, 400]')
  if (!(occupied >= 0)) return reject('occupied: ' + occupied.toString() + ' s is negative')

  const impact = decel >= IMPACT_DECEL
  const suddenStop = after < STOPPED_KMH && before - after >= SUDDEN_DROP_KMH && decel >= HARD_BRAKING_DECEL
  const blocked = occupied >= BLOCKED_S && after < STOPPED_KMH
  const crash = blocked && (impact || suddenStop)
  const hardBraking = decel >= HARD_BRAKING_DECEL
  let confidence: f64
  if (crash) {
    confidence = 0.5 + 0.25 * clamp01((decel - HARD_BRAKING_DECEL) / (2 * IMPACT_DECEL)) + 0.25 * clamp01((occupied - BLOCKED_S) / 20.0) + (impact && suddenStop ? 0.1 : 0)
    if (confidence > 1) confidence = 1
  } else {
    confidence = blocked || impact ? 0.6 : 0.9
  }
  const flags: u16 = (hardBraking ? 2 : 0) | (blocked ? 4 : 0)
  emit(detection(KIND_CRASH, crash, confidence, clockMs(), decel, flags))
  return HANDLE_OK
}
