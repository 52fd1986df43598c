// Sealing: an image may import only the ECCO host ABI, must take its (shared) memory
// from the host, and must keep its data above the inbox. Checked before anything runs.
import { createHash } from 'node:crypto'
import { ABI_MODULE, WASM_PAGE } from './constants.js'
import { ForeignImportError, ImageHashMismatchError, InvalidImageError } from './errors.js'
import { lowestDataOffset, readImports } from './wasm-binary.js'
import { wasm } from './wasm-api.js'
import type { EfImage, ImageManifest } from './manifest.js'
import type { WasmModule } from './wasm-api.js'

/** The ECCO host ABI: every function an image may import from module "ecco". */
export const HOST_ABI_FUNCTIONS = [
  'abort', 'input_ptr', 'input_len', 'emit', 'reject', 'sensor_f64', 'sensor_bytes',
  'unimem_get_i64', 'unimem_set_i64', 'unimem_get_f64', 'unimem_set_f64',
  'unimem_get_bytes', 'unimem_set_bytes', 'unimem_get_value', 'unimem_set_value',
  'log', 'clock_ms', 'step_define', 'edge_define'
] as const

export type HostAbiFunction = typeof HOST_ABI_FUNCTIONS[number]

const ALLOWED = new Set<string>(HOST_ABI_FUNCTIONS)

export interface SealedImage {
  manifest: ImageManifest
  module: WasmModule
  /** Pages: what the image asks for and the cap the host will enforce. */
  memory: { initial: number, maximum: number }
  /** Has a step graph (ecco_graph, ecco_step, ecco_guard). */
  graph: boolean
}

export function sha256Hex (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Checks the content hash; throws ImageHashMismatchError naming both hashes. */
export function verifyHash (image: EfImage): void {
  const actual = sha256Hex(image.bytes)
  if (actual !== image.manifest.hash) {
    throw new ImageHashMismatchError(`${image.manifest.name}: wasm sha256 is ${actual}, manifest says ${image.manifest.hash}`, image.manifest.name)
  }
}

/** Throws ForeignImportError listing every import outside the host ABI. */
export function checkImports (name: string, bytes: Uint8Array): { initial: number, maximum?: number, shared: boolean } {
  const imports = readImports(bytes)
  const foreign = imports.filter(i => i.module !== ABI_MODULE ||
    (i.kind === 'function' ? !ALLOWED.has(i.name) : !(i.kind === 'memory' && i.name === 'memory')))
  if (foreign.length > 0) {
    const list = foreign.map(i => `${i.module}.${i.name} (${i.kind})`).join(', ')
    throw new ForeignImportError(`${name}: imports outside the ECCO host ABI: ${list}`, name)
  }
  const memory = imports.find(i => i.kind === 'memory')?.memory
  if (memory == null) throw new InvalidImageError(`${name}: must import its memory as ${ABI_MODULE}.memory`, name)
  return memory
}

/** Verifies hash, imports, memory layout and exports, then compiles the module. */
export async function sealImage (image: EfImage): Promise<SealedImage> {
  const { manifest, bytes } = image
  const name = manifest.name
  if (bytes.length !== manifest.size) throw new ImageHashMismatchError(`${name}: ${bytes.length} bytes, manifest says ${manifest.size}`, name)
  verifyHash(image)
  const memory = checkImports(name, bytes)
  if (!memory.shared || memory.maximum == null) throw new InvalidImageError(`${name}: memory must be shared with a declared maximum`, name)
  const limitPages = manifest.memoryLimitBytes / WASM_PAGE
  if (memory.initial > limitPages) throw new InvalidImageError(`${name}: needs ${memory.initial} pages at boot, memory limit is ${limitPages}`, name)
  const inboxEnd = manifest.inbox.offset + manifest.inbox.capacity
  const lowest = lowestDataOffset(bytes)
  if (lowest < inboxEnd) throw new InvalidImageError(`${name}: data segment at ${lowest} overlaps the inbox (ends at ${inboxEnd})`, name)
  let module: WasmModule
  try {
    module = await wasm.compile(bytes)
  } catch (err) {
    throw new InvalidImageError(`${name}: does not compile: ${(err as Error).message}`, name)
  }
  const exports = new Set(wasm.Module.exports(module).filter(e => e.kind === 'function').map(e => e.name))
  const graph = exports.has('ecco_graph')
  if (graph && !(exports.has('ecco_step') && exports.has('ecco_guard'))) {
    throw new InvalidImageError(`${name}: exports ecco_graph but not ecco_step and ecco_guard`, name)
  }
  if (!graph && !exports.has('ecco_handle')) throw new InvalidImageError(`${name}: exports neither ecco_handle nor ecco_graph`, name)
  return { manifest, module, memory: { initial: memory.initial, maximum: Math.min(memory.maximum, limitPages) }, graph }
}
