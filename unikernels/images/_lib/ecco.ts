// ECCO host ABI bindings for AssemblyScript edge functions (see unikernels/README.md).
// Every import comes from the module "ecco"; the build rewrites AssemblyScript's own
// env.memory / env.abort imports to ecco.memory / ecco.abort.

@external("ecco", "input_ptr") declare function _input_ptr(): i32
@external("ecco", "input_len") declare function _input_len(): i32
@external("ecco", "emit") declare function _emit(route: i32, ptr: usize, len: i32): i32
@external("ecco", "reject") declare function _reject(kind: i32, ptr: usize, len: i32): void
@external("ecco", "sensor_f64") declare function _sensor_f64(ptr: usize, len: i32): f64
@external("ecco", "sensor_bytes") declare function _sensor_bytes(ptr: usize, len: i32, dst: usize, cap: i32): i32
@external("ecco", "unimem_get_i64") declare function _get_i64(ptr: usize, len: i32, dflt: i64): i64
@external("ecco", "unimem_set_i64") declare function _set_i64(ptr: usize, len: i32, v: i64): void
@external("ecco", "unimem_get_f64") declare function _get_f64(ptr: usize, len: i32, dflt: f64): f64
@external("ecco", "unimem_set_f64") declare function _set_f64(ptr: usize, len: i32, v: f64): void
@external("ecco", "log") declare function _log(level: i32, ptr: usize, len: i32): void
@external("ecco", "clock_ms") declare function _clock_ms(): f64
@external("ecco", "step_define") declare function _step_define(id: i32, ptr: usize, len: i32): void
@external("ecco", "edge_define") declare function _edge_define(from: i32, to: i32, guard: i32): void

export const ROUTE_NEXT: i32 = 0
export const ROUTE_NETWORK: i32 = 1
export const HANDLE_OK: i32 = 0
export const HANDLE_RETRANSMIT: i32 = 1
export const HANDLE_REJECTED: i32 = 2
export const TERMINATE: i32 = -1
export const ALWAYS: i32 = -1

function utf8 (s: string): ArrayBuffer {
  return String.UTF8.encode(s)
}

/** Length of the current input (bundle payload) in the inbox. */
export function inputLength (): i32 {
  return _input_len()
}

/** Address of the input in linear memory: read it in place (no copy). */
export function inputPtr (): usize {
  return <usize>_input_ptr()
}

export function inputU8 (offset: i32): u8 {
  return load<u8>(inputPtr() + <usize>offset)
}

export function inputF64 (offset: i32): f64 {
  return load<f64>(inputPtr() + <usize>offset)
}

export function inputU32 (offset: i32): u32 {
  return load<u32>(inputPtr() + <usize>offset)
}

export function inputU16 (offset: i32): u16 {
  return load<u16>(inputPtr() + <usize>offset)
}

/** Distribution phase: hand bytes to the next local EF (or the network when none). */
export function emit (data: Uint8Array, route: i32 = ROUTE_NEXT): i32 {
  return _emit(route, data.dataStart, data.length)
}

/** Distribution of bytes already in linear memory (e.g. straight from the inbox). */
export function emitRaw (ptr: usize, len: i32, route: i32 = ROUTE_NEXT): i32 {
  return _emit(route, ptr, len)
}

/** Validation phase: ask the sender to transmit the input again (it was damaged). */
export function retransmit (reason: string): i32 {
  const b = utf8(reason)
  _reject(HANDLE_RETRANSMIT, changetype<usize>(b), b.byteLength)
  return HANDLE_RETRANSMIT
}

/** Validation phase: refuse the input for good, with a reason naming the bad field. */
export function reject (reason: string): i32 {
  const b = utf8(reason)
  _reject(HANDLE_REJECTED, changetype<usize>(b), b.byteLength)
  return HANDLE_REJECTED
}

/** Acquisition phase: latest scalar reading of a declared sensor (through the SAC). */
export function sensorF64 (name: string): f64 {
  const b = utf8(name)
  return _sensor_f64(changetype<usize>(b), b.byteLength)
}

/** Acquisition phase: latest byte reading (frame, occupancy map) of a declared sensor. */
export function sensorBytes (name: string, cap: i32): Uint8Array {
  const b = utf8(name)
  const out = new Uint8Array(cap)
  const n = _sensor_bytes(changetype<usize>(b), b.byteLength, out.dataStart, cap)
  if (n < 0) return new Uint8Array(0)
  return n < cap ? out.subarray(0, n) : out
}

export function getInt (key: string, dflt: i64 = 0): i64 {
  const b = utf8(key)
  return _get_i64(changetype<usize>(b), b.byteLength, dflt)
}

export function setInt (key: string, v: i64): void {
  const b = utf8(key)
  _set_i64(changetype<usize>(b), b.byteLength, v)
}

export function getFloat (key: string, dflt: f64 = 0): f64 {
  const b = utf8(key)
  return _get_f64(changetype<usize>(b), b.byteLength, dflt)
}

export function setFloat (key: string, v: f64): void {
  const b = utf8(key)
  _set_f64(changetype<usize>(b), b.byteLength, v)
}

export function log (message: string, level: i32 = 1): void {
  const b = utf8(message)
  _log(level, changetype<usize>(b), b.byteLength)
}

export function clockMs (): f64 {
  return _clock_ms()
}

export function defineStep (id: i32, name: string): void {
  const b = utf8(name)
  _step_define(id, changetype<usize>(b), b.byteLength)
}

export function defineEdge (from: i32, to: i32, guard: i32): void {
  _edge_define(from, to, guard)
}

// Detection record shared by detectors, fusion and the broadcaster (32 bytes, little endian):
//   0 u32 magic 'ECDT'   4 u8 kind   5 u8 detected   6 u16 flags
//   8 f64 confidence     16 f64 time (ms)   24 f64 value (kind specific)
export const DETECTION_MAGIC: u32 = 0x54444345
export const DETECTION_SIZE: i32 = 32
export const KIND_ICE: u8 = 1
export const KIND_CRASH: u8 = 2
export const KIND_HARD_BRAKING: u8 = 3

export function detection (kind: u8, detected: bool, confidence: f64, time: f64, value: f64, flags: u16 = 0): Uint8Array {
  const out = new Uint8Array(DETECTION_SIZE)
  const p = out.dataStart
  store<u32>(p, DETECTION_MAGIC)
  store<u8>(p, kind, 4)
  store<u8>(p, detected ? 1 : 0, 5)
  store<u16>(p, flags, 6)
  store<f64>(p, confidence, 8)
  store<f64>(p, time, 16)
  store<f64>(p, value, 24)
  return out
}

export function clamp01 (x: f64): f64 {
  return x < 0 ? 0 : (x > 1 ? 1 : x)
}
