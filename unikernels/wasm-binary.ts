// Just enough of the WebAssembly binary format to seal an image without instantiating it:
// list imports (with memory limits), rename import modules, find data segment offsets.
import { InvalidImageError } from './errors.js'

export type ImportKind = 'function' | 'table' | 'memory' | 'global' | 'tag'

export interface WasmImport {
  module: string
  name: string
  kind: ImportKind
  /** Memory imports: limits in pages. */
  memory?: { initial: number, maximum?: number, shared: boolean }
}

const KINDS: ImportKind[] = ['function', 'table', 'memory', 'global', 'tag']
const IMPORT_SECTION = 2
const DATA_SECTION = 11

class Reader {
  pos = 0
  constructor (readonly bytes: Uint8Array) {}

  byte (): number {
    if (this.pos >= this.bytes.length) throw new InvalidImageError('wasm: unexpected end of module')
    return this.bytes[this.pos++]
  }

  u32 (): number {
    let result = 0
    let shift = 0
    for (;;) {
      const b = this.byte()
      result += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return result
      shift += 7
      if (shift > 63) throw new InvalidImageError('wasm: LEB128 too long')
    }
  }

  s32 (): number {
    let result = 0
    let shift = 0
    let b: number
    do {
      b = this.byte()
      result |= (b & 0x7f) << shift
      shift += 7
    } while ((b & 0x80) !== 0 && shift < 35)
    if (shift < 32 && (b & 0x40) !== 0) result |= (~0 << shift)
    return result
  }

  name (): string {
    const len = this.u32()
    const end = this.pos + len
    if (end > this.bytes.length) throw new InvalidImageError('wasm: name runs past the end')
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, end))
    this.pos = end
    return s
  }

  limits (): { initial: number, maximum?: number, shared: boolean } {
    const flags = this.byte()
    const initial = this.u32()
    const maximum = (flags & 1) !== 0 ? this.u32() : undefined
    return { initial, maximum, shared: (flags & 2) !== 0 }
  }
}

interface Section { id: number, start: number, end: number, headerStart: number }

function sections (bytes: Uint8Array): Section[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new InvalidImageError('wasm: missing \\0asm magic')
  }
  const r = new Reader(bytes)
  r.pos = 8
  const out: Section[] = []
  while (r.pos < bytes.length) {
    const headerStart = r.pos
    const id = r.byte()
    const size = r.u32()
    const start = r.pos
    const end = start + size
    if (end > bytes.length) throw new InvalidImageError(`wasm: section ${id} runs past the end`)
    out.push({ id, start, end, headerStart })
    r.pos = end
  }
  return out
}

function readImportEntry (r: Reader): WasmImport {
  const module = r.name()
  const name = r.name()
  const kindByte = r.byte()
  const kind = KINDS[kindByte]
  if (kind == null) throw new InvalidImageError(`wasm: import ${module}.${name} has unknown kind ${kindByte}`)
  const entry: WasmImport = { module, name, kind }
  if (kind === 'function') r.u32()
  else if (kind === 'table') { r.byte(); r.limits() } else if (kind === 'memory') entry.memory = r.limits()
  else if (kind === 'global') { r.byte(); r.byte() } else { r.byte(); r.u32() }
  return entry
}

/** Every import of a module, in order, with the raw byte range of each entry. */
function importEntries (bytes: Uint8Array): { section?: Section, entries: Array<WasmImport & { start: number, end: number }> } {
  const section = sections(bytes).find(s => s.id === IMPORT_SECTION)
  if (section == null) return { entries: [] }
  const r = new Reader(bytes)
  r.pos = section.start
  const count = r.u32()
  const entries: Array<WasmImport & { start: number, end: number }> = []
  for (let i = 0; i < count; i++) {
    const start = r.pos
    const entry = readImportEntry(r)
    entries.push({ ...entry, start, end: r.pos })
  }
  return { section, entries }
}

export function readImports (bytes: Uint8Array): WasmImport[] {
  return importEntries(bytes).entries.map(({ start, end, ...entry }) => entry)
}

function leb (n: number): number[] {
  const out: number[] = []
  do {
    let b = n & 0x7f
    n = Math.floor(n / 128)
    if (n !== 0) b |= 0x80
    out.push(b)
  } while (n !== 0)
  return out
}

/**
 * Moves imports to another module name, e.g. AssemblyScript's env.memory to ecco.memory.
 * `renames` maps "module.name" to the new module.
 */
export function renameImportModules (bytes: Uint8Array, renames: Record<string, string>): Uint8Array {
  const { section, entries } = importEntries(bytes)
  if (section == null) return bytes
  const enc = new TextEncoder()
  const body: number[] = [...leb(entries.length)]
  for (const e of entries) {
    const target = renames[`${e.module}.${e.name}`]
    const r = new Reader(bytes)
    r.pos = e.start
    r.name()
    const rest = bytes.subarray(r.pos, e.end)
    const moduleBytes = enc.encode(target ?? e.module)
    body.push(...leb(moduleBytes.length), ...moduleBytes, ...rest)
  }
  const header = [IMPORT_SECTION, ...leb(body.length)]
  const out = new Uint8Array(section.headerStart + header.length + body.length + (bytes.length - section.end))
  out.set(bytes.subarray(0, section.headerStart), 0)
  out.set(header, section.headerStart)
  out.set(body, section.headerStart + header.length)
  out.set(bytes.subarray(section.end), section.headerStart + header.length + body.length)
  return out
}

/** Lowest address any active data segment writes to (Infinity when none, -1 if not constant). */
export function lowestDataOffset (bytes: Uint8Array): number {
  const section = sections(bytes).find(s => s.id === DATA_SECTION)
  if (section == null) return Infinity
  const r = new Reader(bytes)
  r.pos = section.start
  const count = r.u32()
  let lowest = Infinity
  for (let i = 0; i < count; i++) {
    const flags = r.u32()
    if (flags === 1) {
      const len = r.u32()
      r.pos += len
      continue
    }
    if (flags === 2) r.u32()
    const op = r.byte()
    if (op !== 0x41) return -1
    const offset = r.s32()
    if (r.byte() !== 0x0b) return -1
    lowest = Math.min(lowest, offset >>> 0)
    // read the length before adding: `r.pos += r.u32()` would add to the stale position
    const len = r.u32()
    r.pos += len
  }
  return lowest
}
