// The project compiles against lib ES2023 + @types/node, which do not declare the
// WebAssembly namespace (it lives in lib.dom). This is the typed slice the runtime uses,
// taken from globalThis, so nothing global is redeclared.

export interface WasmModuleDescriptor { name: string, kind: string, module?: string }

/** Opaque compiled module (structured-cloneable to workers). */
export interface WasmModule { readonly __wasmModule?: never }

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
  grow(delta: number): number
}

export type WasmExportValue = ((...args: Array<number | bigint>) => number | bigint | undefined) | WasmMemory | object

export interface WasmInstance {
  readonly exports: Record<string, WasmExportValue>
}

export type WasmImports = Record<string, Record<string, ((...args: Array<number | bigint>) => number | bigint | undefined | void) | WasmMemory>>

interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>
  instantiate(module: WasmModule, imports: WasmImports): Promise<WasmInstance>
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance
  Memory: new (descriptor: { initial: number, maximum?: number, shared?: boolean }) => WasmMemory
  Module: {
    exports(module: WasmModule): WasmModuleDescriptor[]
    imports(module: WasmModule): WasmModuleDescriptor[]
  }
  RuntimeError: new (message?: string) => Error
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

export function isRuntimeError (err: unknown): err is Error {
  return err instanceof wasm.RuntimeError
}
