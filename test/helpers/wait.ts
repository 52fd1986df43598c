/** Polls a condition until it holds or the deadline passes; never a blind sleep. */
export async function waitFor (cond: () => boolean | Promise<boolean>, opts: { timeoutMs: number, intervalMs?: number, message: string | (() => string) }): Promise<number> {
  const start = Date.now()
  const interval = opts.intervalMs ?? 50
  for (;;) {
    if (await cond()) return Date.now() - start
    if (Date.now() - start > opts.timeoutMs) {
      const msg = typeof opts.message === 'string' ? opts.message : opts.message()
      throw new Error(`timed out after ${opts.timeoutMs} ms: ${msg}`)
    }
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}
