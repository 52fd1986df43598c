// Fusion: the join after a branch. Input: N detection records (32 bytes each) of the same
// kind from redundant detectors. Each votes for "detected" or "not detected" with its
// confidence as weight; the heavier side wins and the fused confidence is its share of
// the total weight. Output: one detection record (flags = number of voters).
import {
  DETECTION_MAGIC, DETECTION_SIZE, HANDLE_OK, detection, emit, inputF64, inputLength, inputU32,
  inputU8, reject, retransmit
} from '../_lib/ecco'

const MAX_VOTERS: i32 = 64

export function ecco_handle (): i32 {
  const n = inputLength()
  if (n == 0 || n % DETECTION_SIZE != 0) return retransmit('input: length ' + n.toString() + ' is not a positive multiple of 32')
  const voters = n / DETECTION_SIZE
  if (voters > MAX_VOTERS) return reject('input: ' + voters.toString() + ' voters, at most 64')
  const kind = inputU8(4)
  let yes: f64 = 0
  let no: f64 = 0
  let yesValue: f64 = 0
  let time: f64 = 0
  for (let i = 0; i < voters; i++) {
    const at = i * DETECTION_SIZE
    if (inputU32(at) != DETECTION_MAGIC) return retransmit('record[' + i.toString() + ']: bad magic')
    if (inputU8(at + 4) != kind) return reject('record[' + i.toString() + ']: kind ' + inputU8(at + 4).toString() + ' differs from ' + kind.toString())
    const c = inputF64(at + 8)
    if (!(c >= 0 && c <= 1)) return reject('record[' + i.toString() + '].confidence: ' + c.toString() + ' outside [0, 1]')
    if (inputU8(at + 5) != 0) {
      yes += c
      yesValue += c * inputF64(at + 24)
    } else {
      no += c
    }
    const t = inputF64(at + 16)
    if (t > time) time = t
  }
  const total = yes + no
  const detected = yes > no
  const confidence = total > 0 ? (detected ? yes : no) / total : 0.5
  const value = yes > 0 ? yesValue / yes : 0
  emit(detection(kind, detected, confidence, time, value, <u16>voters))
  return HANDLE_OK
}
