import { InvalidMessageError } from './errors.js'

export interface Codec<T> {
  decode: (buf: Uint8Array, opts?: { limits?: Record<string, unknown> }) => T
}

/**
 * Decodes untrusted bytes with protons limits, turning every failure into an
 * InvalidMessageError that names the message type and the reason.
 */
export function decodeMessage<T> (codec: Codec<T>, bytes: Uint8Array, what: string, opts: { maxBytes: number, limits?: Record<string, unknown> }): T {
  if (bytes.byteLength > opts.maxBytes) {
    throw new InvalidMessageError(`${what}: ${bytes.byteLength} bytes exceeds the ${opts.maxBytes}-byte limit`)
  }
  try {
    return codec.decode(bytes, opts.limits === undefined ? undefined : { limits: opts.limits })
  } catch (err) {
    throw new InvalidMessageError(`${what}: ${(err as Error).message}`)
  }
}

/** Every top-level message carries a version; unknown ones are rejected, not guessed at. */
export function checkVersion (what: string, got: number, supported: number): void {
  if (got !== supported) throw new InvalidMessageError(`${what}: unsupported version ${got} (expected ${supported})`)
}

/** protons decodes an unknown enum number as-is; reject it like any bad field. */
export function checkEnum (what: string, field: string, value: unknown, allowed: readonly unknown[]): void {
  if (!allowed.includes(value)) throw new InvalidMessageError(`${what}.${field}: unknown value ${String(value)}`)
}

/** A hostile value for an error message: YAML aliases can make it circular, and it may be huge. */
export function showValue (v: unknown): string {
  let text: string | undefined
  try { text = JSON.stringify(v) } catch { return Array.isArray(v) ? '(a self-referencing list)' : '(a self-referencing value)' }
  text = text ?? String(v)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
