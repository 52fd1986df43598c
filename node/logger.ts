/**
 * Structured logs: one JSON object per line on stderr (stdout stays free for
 * the human-facing output of the CLI, such as multiaddrs to join).
 */
import type { LogLevel } from './config/schema.js'

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 }

export type LogFields = Record<string, unknown>

export interface Log {
  error: (msg: string, fields?: LogFields) => void
  warn: (msg: string, fields?: LogFields) => void
  info: (msg: string, fields?: LogFields) => void
  debug: (msg: string, fields?: LogFields) => void
  child: (component: string) => Log
}

export interface LoggerInit {
  level?: LogLevel
  component?: string
  /** where lines go; defaults to process.stderr */
  write?: (line: string) => void
  /** fields added to every line (e.g. the peer name) */
  base?: LogFields
}

function serialise (v: unknown): unknown {
  if (v instanceof Error) return { name: v.name, message: v.message, code: (v as { code?: unknown }).code }
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`
  return v
}

export function createLogger (init: LoggerInit = {}): Log {
  const level = RANK[init.level ?? 'info']
  const write = init.write ?? ((line: string) => { process.stderr.write(line) })
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[lvl] > level) return
    const rec: LogFields = { time: new Date().toISOString(), level: lvl, ...init.base }
    if (init.component !== undefined) rec.component = init.component
    rec.msg = msg
    if (fields !== undefined) for (const [k, v] of Object.entries(fields)) rec[k] = serialise(v)
    write(JSON.stringify(rec) + '\n')
  }
  return {
    error: (m, f) => { emit('error', m, f) },
    warn: (m, f) => { emit('warn', m, f) },
    info: (m, f) => { emit('info', m, f) },
    debug: (m, f) => { emit('debug', m, f) },
    child: (component) => createLogger({ ...init, component: init.component === undefined ? component : `${init.component}:${component}` })
  }
}
