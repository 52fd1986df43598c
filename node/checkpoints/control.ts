/**
 * The local control channel of `ecco-peer ef ...` and `ecco-peer drain`: a small JSON
 * HTTP server bound to 127.0.0.1 only (operators on the box, never the network). Its
 * port is written to `<dataDir>/ef-control.json` so the CLI finds it from --data-dir.
 *
 *   GET  /ef                 hosted instances, replica copies, sink state
 *   POST /ef/start           { instance, image, sink?, quorum?, replicas?, stepIntervalMs?, seed? }
 *   POST /ef/migrate         { instance, to }
 *   POST /drain              {}
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { writeFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

export const CONTROL_FILE = 'ef-control.json'
const MAX_BODY_BYTES = 64 * 1024

export type ControlRoute = (body: Record<string, unknown>) => Promise<unknown>

export interface ControlServer {
  port: number
  close: () => Promise<void>
}

async function readBody (req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error(`body exceeds ${MAX_BODY_BYTES} bytes`)
    chunks.push(c as Buffer)
  }
  if (chunks.length === 0) return {}
  const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body must be a JSON object')
  return v as Record<string, unknown>
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => typeof x === 'bigint' ? Number(x) : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x, 2)

export async function startControlServer (routes: { get: Record<string, () => unknown>, post: Record<string, ControlRoute> }, port: number, dataDir: string): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const send = (code: number, body: unknown): void => { res.writeHead(code, { 'content-type': 'application/json' }).end(json(body)) }
    if (req.method === 'GET' && Object.hasOwn(routes.get, path)) { send(200, routes.get[path]()); return }
    if (req.method !== 'POST' || !Object.hasOwn(routes.post, path)) { send(404, { error: `no route ${req.method ?? ''} ${path}` }); return }
    readBody(req)
      .then(async (body) => { send(200, await routes.post[path](body)) })
      .catch((err: Error) => { send(err.name === 'SyntaxError' || err.name === 'MigrationError' || err.name === 'ConfigError' ? 400 : 500, { error: err.message, name: err.name }) })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const bound = (server.address() as AddressInfo).port
  const file = join(dataDir, CONTROL_FILE)
  await writeFile(file, JSON.stringify({ port: bound, pid: process.pid }), { mode: 0o600 })
  return {
    port: bound,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
      await rm(file, { force: true })
    }
  }
}
