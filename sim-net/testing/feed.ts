/**
 * A writable async source for a libp2p stream's sink: push chunks, end when
 * done. Long-lived streams carry many messages through one.
 */
export class Feed {
  private readonly items: Uint8Array[] = []
  private done = false
  private wake: (() => void) | undefined

  push (b: Uint8Array): void {
    this.items.push(b)
    this.wake?.()
  }

  end (): void {
    this.done = true
    this.wake?.()
  }

  async * source (): AsyncGenerator<Uint8Array> {
    while (true) {
      const b = this.items.shift()
      if (b !== undefined) { yield b; continue }
      if (this.done) return
      await new Promise<void>(resolve => { this.wake = resolve })
      this.wake = undefined
    }
  }
}
