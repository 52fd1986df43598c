// Black-ice detector. Ice risk when the road surface is at or below 0 °C and at or below
// the dew point plus a margin (frost forms on a surface colder than the dew point).
// Hysteresis: once iced, the alarm holds until the surface is clearly above both
// thresholds, so a reading jittering around 0 °C does not flap the warning.
//
// Input: empty (acquire the three sensors through the SAC) or a 24-byte reading
//   0 f64 surface °C   8 f64 air °C   16 f64 relative humidity %
// Output: a detection record (kind ICE, value = dew point °C, flags bit0 = hysteresis hold).
import {
  HANDLE_OK, KIND_ICE, clamp01, clockMs, detection, emit, getInt, inputF64, inputLength,
  reject, retransmit, sensorF64, setInt
} from '../_lib/ecco'

/** Frost forms up to this far above the dew point (sensor error, radiative cooling). */
const DEW_MARGIN: f64 = 1.0
/** The alarm clears only this far above the thresholds. */
const HYSTERESIS: f64 = 1.0
const MAGNUS_B: f64 = 17.62
const MAGNUS_C: f64 = 243.12

export function dewPoint (airC: f64, rh: f64): f64 {
  const gamma = Math.log(rh / 100.0) + MAGNUS_B * airC / (MAGNUS_C + airC)
  return MAGNUS_C * gamma / (MAGNUS_B - gamma)
}

export function ecco_handle (): i32 {
  // acquisition
  let surface: f64, air: f64, rh: f64
  const n = inputLength()
  if (n == 0) {
    surface = sensorF64('road-surface-temperature')
    air = sensorF64('air-temperature')
    rh = sensorF64('relative-humidity')
  } else if (n == 24) {
    surface = inputF64(0)
    air = inputF64(8)
    rh = inputF64(16)
  } else {
    return retransmit('input: length ' + n.toString() + ', expected 0 or 24')
  }
  // validation
  if (!(surface >= -60 && surface <= 80)) return reject('surface: ' + surface.toString() + ' °C out of range [-60, 80]')
  if (!(air >= -60 && air <= 60)) return reject('air: ' + air.toString() + ' °C out of range [-60, 60]')
  if (!(rh > 0 && rh <= 100)) return reject('humidity: ' + rh.toString() + ' % out of range (0, 100]')
  // processing
  const dew = dewPoint(air, rh)
  const wasIced = getInt('iced') != 0
  const enter = surface <= 0 && surface <= dew + DEW_MARGIN
  const stay = wasIced && surface <= HYSTERESIS && surface <= dew + DEW_MARGIN + HYSTERESIS
  const iced = enter || stay
  setInt('iced', iced ? 1 : 0)
  let confidence: f64
  if (iced) {
    const cold = clamp01(-surface / 3.0)
    const humid = clamp01((dew + DEW_MARGIN - surface) / 2.0)
    confidence = enter ? 0.5 + 0.25 * cold + 0.25 * humid : 0.5 + 0.1 * clamp01((HYSTERESIS - surface) / HYSTERESIS)
  } else {
    const margin = Math.max(surface, surface - dew - DEW_MARGIN)
    confidence = 0.5 + 0.5 * clamp01(margin / 3.0)
  }
  // distribution
  emit(detection(KIND_ICE, iced, confidence, clockMs(), dew, !enter && stay ? 1 : 0))
  return HANDLE_OK
}
