// Hazard broadcaster: the finale of a hazard pipeline. A confident positive detection
// becomes a hazard record modelled on ETSI DENM (cause codes of EN 302 637-3); anything
// else produces no output. The action sequence lives in Unimem so a migrated broadcaster
// never reuses an action id.
// Output (40 bytes, little endian): 0 u32 magic 'ECHZ'  4 u8 cause  5 u8 subCause
//   6 u8 informationQuality 1..7  7 u8 detection kind  8 u32 validity s  12 u32 relevance m
//   16 f64 detection time ms  24 f64 confidence  32 u32 action sequence  36 u32 reserved
import {
  DETECTION_MAGIC, DETECTION_SIZE, HANDLE_OK, KIND_CRASH, KIND_ICE, ROUTE_NETWORK, emit,
  getInt, inputF64, inputLength, inputU32, inputU8, reject, retransmit, setInt
} from '../_lib/ecco'

const MAGIC: u32 = 0x5a484345
const MIN_CONFIDENCE: f64 = 0.6
/** DENM adverseWeatherCondition-Adhesion, sub-cause blackIceOnRoad. */
const CAUSE_ADHESION: u8 = 6
const SUB_BLACK_ICE: u8 = 6
/** DENM accident, sub-cause unavailable. */
const CAUSE_ACCIDENT: u8 = 2

export function ecco_handle (): i32 {
  const n = inputLength()
  if (n != DETECTION_SIZE) return retransmit('input: length ' + n.toString() + ', expected 32')
  if (inputU32(0) != DETECTION_MAGIC) return retransmit('input: bad magic')
  const kind = inputU8(4)
  const confidence = inputF64(8)
  if (!(confidence >= 0 && confidence <= 1)) return reject('confidence: ' + confidence.toString() + ' outside [0, 1]')
  if (kind != KIND_ICE && kind != KIND_CRASH) return reject('kind: ' + kind.toString() + ' has no hazard mapping')
  if (inputU8(5) == 0 || confidence < MIN_CONFIDENCE) return HANDLE_OK
  const seq = getInt('actionSeq') + 1
  setInt('actionSeq', seq)
  const out = new Uint8Array(40)
  const o = out.dataStart
  store<u32>(o, MAGIC)
  store<u8>(o, kind == KIND_ICE ? CAUSE_ADHESION : CAUSE_ACCIDENT, 4)
  store<u8>(o, kind == KIND_ICE ? SUB_BLACK_ICE : 0, 5)
  store<u8>(o, <u8>Math.max(1, Math.min(7, Math.round(confidence * 7))), 6)
  store<u8>(o, kind, 7)
  store<u32>(o, kind == KIND_ICE ? 600 : 1800, 8)
  store<u32>(o, kind == KIND_ICE ? 1000 : 2000, 12)
  store<f64>(o, inputF64(16), 16)
  store<f64>(o, confidence, 24)
  store<u32>(o, <u32>seq, 32)
  emit(out, ROUTE_NETWORK)
  return HANDLE_OK
}
