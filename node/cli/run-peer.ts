/**
 * `ecco-peer` (no subcommand): run a roadside peer until SIGINT/SIGTERM.
 */
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { applyLayer, checkMultiaddr, defaultConfig, loadConfigFile } from '../config/parse.js'
import type { PeerConfig } from '../config/schema.js'
import type { Obj } from '../config/fields.js'
import { createLogger } from '../logger.js'
import { createEccoPeer } from '../peer.js'
import { parseFlags, parsePosition } from './args.js'

export const RUN_USAGE = `Usage: ecco-peer [options]
       ecco-peer --bootstrap [options]          start a bootstrap peer and print its multiaddrs
       ecco-peer --join <multiaddr>... [options] join the mesh through one or more peers

Options:
  --config <file.yaml>     position, tier, sensors, radios, capacity (see README)
  --data-dir <dir>         identity key and LevelDB store      (default .ecco/peer)
  --listen <multiaddr>     listen address, repeatable          (default /ip4/0.0.0.0/tcp/0)
  --http <port>            serve /status /neighbours /registry /metrics on this port
  --http-host <host>       interface for the status API        (default 127.0.0.1)
  --name <name>            a human name for logs and the registry
  --position <lat,lon>     WGS84 position
  --tier <1|2|3>           1 roadside, 2 edge site, 3 cloud
  --heartbeat-ms <ms>      state gossip heartbeat              (default 1000)
  --log-level <level>      error, warn, info, debug            (default info)
  --help, --version
Flags override the config file.`

const RUN_OPTIONS = {
  bootstrap: { type: 'boolean' },
  join: { type: 'string', multiple: true },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  listen: { type: 'string', multiple: true },
  http: { type: 'string' },
  'http-host': { type: 'string' },
  name: { type: 'string' },
  position: { type: 'string' },
  tier: { type: 'string' },
  'heartbeat-ms': { type: 'string' },
  'log-level': { type: 'string' }
} as const

/** Builds the config from defaults, the YAML file and the flags, in that order. */
export async function resolvePeerConfig (argv: string[]): Promise<PeerConfig> {
  const { values: v, positionals } = parseFlags(argv, RUN_OPTIONS, true)
  const join = [...(v.join as string[] | undefined ?? []), ...positionals]
  join.forEach((a, i) => checkMultiaddr(a, i < ((v.join as string[] | undefined)?.length ?? 0) ? '--join' : 'argument'))
  let config = defaultConfig(resolve('.ecco/peer'))
  if (typeof v.config === 'string') config = applyLayer(config, await loadConfigFile(v.config), v.config)
  const flags: Obj = {}
  if (v['data-dir'] !== undefined) flags.dataDir = v['data-dir']
  if (v.listen !== undefined) flags.listen = v.listen
  if (join.length > 0) flags.bootstrap = join
  if (v.bootstrap === true) flags.bootstrapMode = true
  if (v.http !== undefined) flags.http = v.http
  if (v['http-host'] !== undefined) flags.httpHost = v['http-host']
  if (v.name !== undefined) flags.name = v.name
  if (typeof v.position === 'string') flags.position = parsePosition(v.position, '--position')
  if (v.tier !== undefined) flags.tier = v.tier
  if (v['heartbeat-ms'] !== undefined) flags.heartbeatMs = v['heartbeat-ms']
  if (v['log-level'] !== undefined) flags.logLevel = v['log-level']
  config = applyLayer(config, flags, 'flags')
  if (!config.bootstrapMode && config.bootstrap.length === 0) {
    throw new ConfigError('--join: give at least one multiaddr to join, or --bootstrap to start a new mesh')
  }
  return { ...config, dataDir: resolve(config.dataDir) }
}

export async function runPeer (argv: string[]): Promise<number> {
  const config = await resolvePeerConfig(argv)
  const log = createLogger({ level: config.logLevel, base: config.name === undefined ? undefined : { peer: config.name } })
  const peer = await createEccoPeer({ config, log })
  await peer.start()
  const id = peer.peerId.toString()
  const addrs = peer.multiaddrs()
  log.info('peer started', { peerId: id, multiaddrs: addrs, http: peer.httpPort, dataDir: config.dataDir })
  const listening = `Listening on:\n${addrs.map((a) => `  ${a}`).join('\n')}\n`
  if (config.bootstrapMode) {
    process.stdout.write(`ECCO bootstrap peer ${id}\n${listening}`)
    process.stdout.write(`Join this mesh with:\n  ecco-peer --join ${addrs[0] ?? '<multiaddr>'} --data-dir <dir>\n`)
  } else {
    process.stdout.write(`ECCO peer ${id} joining through ${config.bootstrap.join(', ')}\n${listening}`)
  }
  if (peer.httpPort !== undefined) process.stdout.write(`Status API: http://${config.httpHost}:${peer.httpPort}/status\n`)
  return await new Promise<number>((resolve) => {
    let signalled = false
    const shutdown = (signal: string): void => {
      if (signalled) { process.exit(130) }
      signalled = true
      log.info('shutting down', { signal })
      peer.stop().then(() => {
        log.info('stopped cleanly')
        resolve(0)
      }, (err) => {
        log.error('shutdown failed', { error: err })
        resolve(1)
      })
    }
    process.once('SIGINT', () => { shutdown('SIGINT') })
    process.once('SIGTERM', () => { shutdown('SIGTERM') })
  })
}
