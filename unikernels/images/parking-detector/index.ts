// Parking detector. Input: one byte per spot (0 free, 1 occupied, 255 sensor fault), or
// empty to read the parking-occupancy map through the SAC.
// Output (little endian): 0 u32 magic 'ECPK'  4 u16 spots  6 u16 free  8 u16 faulty
//   10 u16 reserved  12.. u16 index of each free spot, ascending.
import { HANDLE_OK, emit, inputLength, inputPtr, reject, retransmit, sensorBytes } from '../_lib/ecco'

const MAGIC: u32 = 0x4b504345
const MAX_SPOTS: i32 = 4096

export function ecco_handle (): i32 {
  let n = inputLength()
  let p = inputPtr()
  if (n == 0) {
    const map = sensorBytes('parking-occupancy', MAX_SPOTS)
    n = map.length
    p = map.dataStart
  }
  if (n == 0) return reject('occupancy: no spots')
  if (n > MAX_SPOTS) return reject('occupancy: ' + n.toString() + ' spots, at most 4096')
  let free = 0
  let faulty = 0
  for (let i = 0; i < n; i++) {
    const v = load<u8>(p + <usize>i)
    if (v == 0) free++
    else if (v == 255) faulty++
    else if (v != 1) return retransmit('occupancy[' + i.toString() + ']: byte ' + v.toString() + ' is not 0, 1 or 255')
  }
  const out = new Uint8Array(12 + 2 * free)
  const o = out.dataStart
  store<u32>(o, MAGIC)
  store<u16>(o, <u16>n, 4)
  store<u16>(o, <u16>free, 6)
  store<u16>(o, <u16>faulty, 8)
  let k: usize = 12
  for (let i = 0; i < n; i++) {
    if (load<u8>(p + <usize>i) == 0) {
      store<u16>(o + k, <u16>i)
      k += 2
    }
  }
  emit(out)
  return HANDLE_OK
}
