// Fixture EF for the sealing tests and the transfer benchmark. The first input byte picks
// the behaviour; it is not part of the catalogue.
import { ROUTE_NETWORK, emit, emitRaw, inputLength, inputPtr, inputU8, reject, sensorF64 } from '../_lib/ecco'

const hoard: Array<Uint8Array> = []
let spin: u32 = 0

export function ecco_handle (): i32 {
  const n = inputLength()
  if (n == 0) return reject('input: empty')
  const mode = inputU8(0)
  if (mode == 1) {
    // memory bomb: keep every block alive until the memory cap stops us
    while (true) hoard.push(new Uint8Array(65536))
  } else if (mode == 2) {
    // endless loop with a side effect so the optimiser keeps it
    while (true) spin++
  } else if (mode == 3) {
    unreachable()
  } else if (mode == 4) {
    // not declared in the manifest: the SAC refuses
    const v = sensorF64('road-surface-temperature')
    store<f64>(inputPtr(), v)
  } else if (mode == 5) {
    const v = sensorF64('air-temperature')
    const out = new Uint8Array(8)
    store<f64>(out.dataStart, v)
    emit(out, ROUTE_NETWORK)
  } else if (mode == 6) {
    // relay the payload to the next EF straight from the inbox (no copy inside the EF)
    emitRaw(inputPtr(), n)
  } else if (mode == 7) {
    // touch every byte: checksum back to the host
    let sum: u32 = 0
    const p = inputPtr()
    for (let i = 0; i < n; i++) sum += load<u8>(p + <usize>i)
    const out = new Uint8Array(4)
    store<u32>(out.dataStart, sum)
    emit(out, ROUTE_NETWORK)
  } else {
    return reject('mode: unknown ' + mode.toString())
  }
  return 0
}
