// Fixture: a -> b when x >= 0, a -> c when x <= 0 (both true at x = 0: ambiguous);
// b and c end the graph (no edges: no true guard terminates). Steps also exercise
// Unimem bytes and protobuf values.
import { defineEdge, defineStep, emit, getInt, setInt } from '../_lib/ecco'

@external("ecco", "unimem_set_bytes") declare function setBytes(k: usize, kl: i32, p: usize, n: i32): void
@external("ecco", "unimem_get_bytes") declare function getBytes(k: usize, kl: i32, p: usize, cap: i32): i32

export function ecco_graph (): i32 {
  defineStep(0, 'a')
  defineStep(1, 'b')
  defineStep(2, 'c')
  defineEdge(0, 1, 0)
  defineEdge(0, 2, 1)
  return 0
}

export function ecco_guard (g: i32): i32 {
  const x = getInt('x')
  if (g == 0) return x >= 0 ? 1 : 0
  return x <= 0 ? 1 : 0
}

export function ecco_step (s: i32): void {
  const key = String.UTF8.encode('trail')
  const buf = new Uint8Array(64)
  let n = getBytes(changetype<usize>(key), key.byteLength, buf.dataStart, 63)
  if (n < 0) n = 0
  buf[n] = <u8>(97 + s)
  setBytes(changetype<usize>(key), key.byteLength, buf.dataStart, n + 1)
  setInt('visits', getInt('visits') + 1)
  emit(buf.subarray(0, n + 1))
}
