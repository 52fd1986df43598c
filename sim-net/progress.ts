/**
 * Live progress on a terminal: on a TTY a status line redrawn in place with
 * event lines printed above it; otherwise plain lines (events, and a status
 * line every few seconds) that read well in CI logs.
 */
import type { SimProgressEvent } from './types.js'

export interface ProgressPrinterInit {
  write: (text: string) => void
  /** redraw a status line in place @default false */
  tty?: boolean
  /** status line period when not a TTY, in ms of simulated time @default 5000 */
  plainEveryMs?: number
}

function clock (ms: number): string {
  const s = Math.max(0, ms) / 1000
  const m = Math.floor(s / 60)
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(1).padStart(4, '0')}`
}

function kib (b: number): string {
  return b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`
}

export function statusLine (e: Extract<SimProgressEvent, { type: 'tick' }>): string {
  const pct = Math.min(100, Math.round(100 * e.simMs / e.durationMs))
  return `t=${clock(e.simMs)}/${clock(e.durationMs)} ${String(pct).padStart(3)}% | peers ${e.livePeers}/${e.totalPeers} | vehicles ${e.vehicles} | actions ${e.faults} | ${e.converging > 0 ? 'converging' : 'converged '} | links ${kib(e.bytes)}`
}

/** Returns an onProgress callback that prints to `write`. */
export function createProgressPrinter (init: ProgressPrinterInit): (e: SimProgressEvent) => void {
  const tty = init.tty ?? false
  const every = init.plainEveryMs ?? 5000
  let status = ''
  let lastPlain = -Infinity
  return (e) => {
    if (e.type === 'tick') {
      status = statusLine(e)
      if (tty) init.write(`\r\x1b[2K${status}`)
      else if (e.simMs - lastPlain >= every) { lastPlain = e.simMs; init.write(`${status}\n`) }
      return
    }
    const text = e.type === 'phase' ? `[${e.phase}]` : e.text
    const line = `${clock(e.simMs)} ${text}\n`
    if (tty) init.write(`\r\x1b[2K${line}${e.type === 'phase' && e.phase === 'done' ? '' : status}`)
    else init.write(line)
  }
}
