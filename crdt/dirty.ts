/**
 * Tracks which persisted records of a document changed since the last write.
 */
import type { DirtyRecord } from './types.js'

export class DirtyTracker {
  readonly #keys = new Set<string>()

  add (key: string): void {
    this.#keys.add(key)
  }

  keys (): string[] {
    return [...this.#keys]
  }

  /** Encodes the current content of every dirty record (undefined = gone) and forgets them. */
  take (encode: (key: string) => Uint8Array | undefined): DirtyRecord[] {
    const out: DirtyRecord[] = []
    for (const key of this.#keys) out.push({ key, value: encode(key) })
    this.#keys.clear()
    return out
  }

  mark (keys: Iterable<string>): void {
    for (const k of keys) this.#keys.add(k)
  }

  clear (): void {
    this.#keys.clear()
  }
}
