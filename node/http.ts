/**
 * The status API: /status, /neighbours, /registry (JSON) and /metrics
 * (Prometheus text). Read-only; binds to loopback unless configured.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** JSON routes by path, e.g. '/status'; '/metrics' is served as Prometheus text */
export type StatusRoutes = Record<string, () => unknown>

export interface StatusServer {
  port: number
  close: () => Promise<void>
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => typeof x === 'bigint' ? Number(x) : x, 2)

export async function startStatusServer (routes: StatusRoutes, metrics: () => string, port: number, host: string): Promise<StatusServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end()
        return
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics())
        return
      }
      const route = Object.hasOwn(routes, path) ? routes[path] : undefined
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(json({ error: `no route ${path}`, routes: [...Object.keys(routes), '/metrics'] }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(json(route()))
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(json({ error: (err as Error).message }))
    }
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => { server.off('error', reject); resolve() })
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    }
  }
}
