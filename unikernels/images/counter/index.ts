// The stateful MirageManager test application (thesis Listing 1) as a step graph.
// f1 draws rand in [0, 10) from a PRNG whose state lives in Unimem and counts rounds;
// f2 and f3 update the counter and emit it. All state lives in Unimem, so a checkpoint
// after any step resumes the counter exactly where it stopped.
import { ALWAYS, TERMINATE, defineEdge, defineStep, emit, getInt, setInt } from '../_lib/ecco'

const F1: i32 = 0
const F2: i32 = 1
const F3: i32 = 2
const G12: i32 = 0
const G13: i32 = 1
const GT: i32 = 2
/** Listing 1 terminates after round 250; a host may seed a different "limit". */
const DEFAULT_LIMIT: i64 = 250

export function ecco_graph (): i32 {
  defineStep(F1, 'f1')
  defineStep(F2, 'f2')
  defineStep(F3, 'f3')
  defineEdge(F1, F2, G12)
  defineEdge(F1, F3, G13)
  defineEdge(F1, TERMINATE, GT)
  defineEdge(F2, F1, ALWAYS)
  defineEdge(F3, F1, ALWAYS)
  return F1
}

export function ecco_guard (guard: i32): i32 {
  const rand = getInt('rand')
  const round = getInt('round')
  const limit = getInt('limit', DEFAULT_LIMIT)
  if (guard == G12) return rand >= 5 && round <= limit ? 1 : 0
  if (guard == G13) return rand < 5 && round <= limit ? 1 : 0
  if (guard == GT) return round > limit ? 1 : 0
  return 0
}

function report (step: u8): void {
  const out = new Uint8Array(24)
  store<i64>(out.dataStart, getInt('round'))
  store<i64>(out.dataStart, getInt('count'), 8)
  store<i32>(out.dataStart, <i32>getInt('rand'), 16)
  store<u8>(out.dataStart, step, 20)
  emit(out)
}

export function ecco_step (step: i32): void {
  if (step == F1) {
    // xorshift64: deterministic, and its whole state is one Unimem integer
    let s = <u64>getInt('prng', 0x9E3779B97F4A7C15)
    s ^= s << 13
    s ^= s >> 7
    s ^= s << 17
    setInt('prng', <i64>s)
    setInt('rand', <i64>((s >> 33) % 10))
    setInt('round', getInt('round') + 1)
  } else if (step == F2) {
    setInt('count', getInt('count') + getInt('rand'))
    report(2)
  } else if (step == F3) {
    setInt('count', getInt('count') + 1)
    report(3)
  }
}

export function ecco_handle (): i32 {
  return 0
}
