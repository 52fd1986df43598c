// Messages between the host and an EF worker (control only: payloads go through the
// blackboard). Errors cross as { name, message, image } and are rebuilt as typed classes.
import type { InboxLayout, ImageManifest } from './manifest.js'
import type { UnimemValue } from './unimem.js'
import type { WasmMemory, WasmModule } from './wasm-api.js'

export type SensorSnapshot = Record<string, number | Uint8Array>
export type AmbiguityPolicy = 'error' | 'first'
export type OutputRoute = 'next' | 'network'

export interface EfOutput {
  /** Position in the EF's output sequence (part of every checkpoint). */
  seq: number
  route: OutputRoute
  /** Empty when the output went straight into the next EF's inbox (`forwarded`). */
  bytes: Uint8Array
  forwarded: boolean
}

export interface EfLogEntry { level: number, message: string }

export type HandleStatus = 'ok' | 'retransmit' | 'rejected'

export interface InvokeResult {
  status: HandleStatus
  /** Why the EF asked for a retransmission or rejected the input (names the field). */
  reason?: string
  outputs: EfOutput[]
  logs: EfLogEntry[]
  /** Wall time spent inside the EF (ms). */
  elapsedMs: number
}

export interface StepResult {
  outputs: EfOutput[]
  logs: EfLogEntry[]
  /** Steps run by this call. */
  ran: number
  /** Step that runs next (undefined when terminated). */
  next?: string
  lastStep?: string
  terminated: boolean
  elapsedMs: number
}

export interface LoadResult { memoryBytes: number, graph: boolean, initialStep?: string }

export interface NextLink { name: string, memory: WasmMemory, control: SharedArrayBuffer, inbox: InboxLayout }

export interface WireError { name: string, message: string, image?: string }

export type Command =
  | { op: 'load', id: number, module: WasmModule, memory: WasmMemory, manifest: ImageManifest, graph: boolean, ambiguity: AmbiguityPolicy, maxOutputBytes: number, blackboardWaitMs: number }
  | { op: 'invoke', id: number, sensors: SensorSnapshot, clock: number }
  | { op: 'steps', id: number, n: number, sensors: SensorSnapshot, clock: number }
  | { op: 'checkpoint', id: number, clock: number }
  | { op: 'resume', id: number, checkpoint: Uint8Array }
  | { op: 'seed', id: number, entries: Array<[string, UnimemValue]> }
  | { op: 'link', id: number, next: NextLink | null }
  | { op: 'usage', id: number }
  | { op: 'reset', id: number }

export interface UsageResult { memoryBytes: number, peakMemoryBytes: number, invocations: number, steps: number, outputs: number, busyMs: number }

export interface ResultMap {
  load: LoadResult
  invoke: InvokeResult
  steps: StepResult
  checkpoint: Uint8Array
  resume: { next?: string, terminated: boolean, outputSeq: number }
  seed: undefined
  link: undefined
  usage: UsageResult
  reset: undefined
}

export type Op = Command['op']

export type Reply =
  | { op: 'reply', id: number, ok: true, result: ResultMap[Op] }
  | { op: 'reply', id: number, ok: false, error: WireError }
  /** A run triggered by a peer EF writing this EF's inbox (no host command). */
  | { op: 'chained', result?: InvokeResult, error?: WireError }
