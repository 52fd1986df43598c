// Colour normalisation: stretch each channel so its darkest value maps to 0 and its
// brightest to 255 (through one 256-entry lookup table per channel).
// Frame (input and output): 0 u16 width  2 u16 height  4 u8 channels (1, 3 or 4)
//   5..7 reserved  8.. pixels, interleaved, row major. Empty input: read the SAC camera.
import { HANDLE_OK, emit, inputLength, inputPtr, reject, retransmit, sensorBytes } from '../_lib/ecco'

const HEADER: i32 = 8
const MAX_FRAME: i32 = 520 * 1024

export function ecco_handle (): i32 {
  let n = inputLength()
  let p = inputPtr()
  if (n == 0) {
    const frame = sensorBytes('camera', MAX_FRAME)
    n = frame.length
    p = frame.dataStart
  }
  if (n < HEADER) return retransmit('frame: ' + n.toString() + ' bytes, shorter than the header')
  const w = <i32>load<u16>(p)
  const h = <i32>load<u16>(p, 2)
  const c = <i32>load<u8>(p, 4)
  if (c != 1 && c != 3 && c != 4) return reject('frame.channels: ' + c.toString() + ', expected 1, 3 or 4')
  const pixels = w * h * c
  if (HEADER + pixels != n) return retransmit('frame: ' + n.toString() + ' bytes, header says ' + (HEADER + pixels).toString())
  const out = new Uint8Array(n)
  const o = out.dataStart
  memory.copy(o, p, HEADER)
  const src = p + <usize>HEADER
  const dst = o + <usize>HEADER
  const lut = new Uint8Array(256 * c)
  const l = lut.dataStart
  for (let ch = 0; ch < c; ch++) {
    let lo: i32 = 255
    let hi: i32 = 0
    for (let i = ch; i < pixels; i += c) {
      const v = <i32>load<u8>(src + <usize>i)
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const span = hi - lo
    for (let v = 0; v < 256; v++) {
      let m = span > 0 ? ((v - lo) * 255 + (span >> 1)) / span : v
      if (m < 0) m = 0
      if (m > 255) m = 255
      store<u8>(l + <usize>(ch * 256 + v), <u8>m)
    }
  }
  if (c == 3) {
    for (let i = 0; i < pixels; i += 3) {
      const a = src + <usize>i
      const b = dst + <usize>i
      store<u8>(b, load<u8>(l + <usize>load<u8>(a)))
      store<u8>(b, load<u8>(l + 256 + <usize>load<u8>(a, 1)), 1)
      store<u8>(b, load<u8>(l + 512 + <usize>load<u8>(a, 2)), 2)
    }
  } else {
    for (let i = 0; i < pixels; i++) {
      const ch = i % c
      store<u8>(dst + <usize>i, load<u8>(l + <usize>(ch * 256) + <usize>load<u8>(src + <usize>i)))
    }
  }
  emit(out)
  return HANDLE_OK
}
