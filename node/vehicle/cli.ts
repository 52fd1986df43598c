/**
 * `ecco-vehicle`: the light client on the command line. One line per warning shown
 * (cause, distance ahead along the route, age), one when it clears; `--json` gives one
 * JSON object per event instead.
 */
import { readFile } from 'node:fs/promises'
import { ConfigError } from '../errors.js'
import { checkMultiaddr } from '../config/parse.js'
import { parseFlags, parsePosition } from '../cli/args.js'
import { readOperatorKey } from '../hazards/files.js'
import { parseGpx, parseRoutePoints } from './route.js'
import { createVehicle, type ShownWarning, type VehicleInit } from './vehicle.js'
import type { Position } from '../../protocols/index.js'

export const VEHICLE_USAGE = `Usage: ecco-vehicle --join <multiaddr> --operator-key <operator.pub> [options]

Receives signed hazard warnings from the roadside mesh and prints each one once.

Options:
  --join <multiaddr>       a roadside peer to join through, repeatable (required)
  --operator-key <file>    trusted operator public key, repeatable (required)
  --position <lat,lon>     where the vehicle is               (default: the route's start)
  --route <file.gpx|pts>   a GPX file, or "lat,lon;lat,lon;..."
  --speed <km/h>           drive along the route at this speed (default 0: stay put)
  --lookahead <m>          show warnings this far ahead        (default 5000)
  --duration <s>           exit after this long                (default: until Ctrl-C)
  --listen <multiaddr>     listen address                      (default /ip4/0.0.0.0/tcp/0)
  --json                   one JSON object per line
  --help, --version`

const OPTIONS = {
  join: { type: 'string', multiple: true },
  'operator-key': { type: 'string', multiple: true },
  position: { type: 'string' },
  route: { type: 'string' },
  speed: { type: 'string' },
  lookahead: { type: 'string' },
  duration: { type: 'string' },
  listen: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} as const

function num (v: unknown, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${flag}: expected a number in ${min}..${max}, got "${String(v)}"`)
  return n
}

async function readRoute (arg: string): Promise<Position[]> {
  if (/\.gpx$/i.test(arg)) {
    let xml: string
    try { xml = await readFile(arg, 'utf8') } catch (err) { throw new ConfigError(`--route: cannot read ${arg}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`) }
    return parseGpx(xml, arg)
  }
  return parseRoutePoints(arg)
}

export interface VehicleCliOptions { init: VehicleInit, json: boolean, durationS?: number }

export async function resolveVehicleOptions (argv: string[]): Promise<VehicleCliOptions> {
  const { values: v } = parseFlags(argv, OPTIONS)
  const join = (v.join as string[] | undefined) ?? []
  if (join.length === 0) throw new ConfigError('--join: give at least one roadside peer multiaddr')
  join.forEach((a) => checkMultiaddr(a, '--join'))
  const keyFiles = (v['operator-key'] as string[] | undefined) ?? []
  if (keyFiles.length === 0) throw new ConfigError('--operator-key: give the operator public key file (operator.pub)')
  const route = typeof v.route === 'string' ? await readRoute(v.route) : undefined
  if (route !== undefined && route.length < 2) throw new ConfigError(`--route: needs at least 2 points, got ${route.length}`)
  const position = typeof v.position === 'string' ? parsePosition(v.position, '--position') : route?.[0]
  if (position === undefined) throw new ConfigError('--position: give a position or a --route')
  const speedKmh = num(v.speed, '--speed', 0, 400) ?? 0
  if (speedKmh > 0 && route === undefined) throw new ConfigError('--speed: needs a --route to drive along')
  const init: VehicleInit = {
    operatorKeys: await Promise.all(keyFiles.map(async (f) => await readOperatorKey(f, '--operator-key'))),
    bootstrap: join,
    position,
    speedMps: speedKmh / 3.6,
    lookaheadM: num(v.lookahead, '--lookahead', 0, 100_000) ?? 5000
  }
  if (route !== undefined) init.route = route
  if (v.listen !== undefined) init.listen = v.listen as string[]
  const out: VehicleCliOptions = { init, json: v.json === true }
  const d = num(v.duration, '--duration', 0, 86_400 * 365)
  if (d !== undefined) out.durationS = d
  return out
}

function km (m: number): string {
  return Math.abs(m) >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`
}

/** "12:03:05  blackIceOnRoad (6/6)  1.2 km ahead  age 14 s  quality 5  [action]" */
export function formatWarning (w: ShownWarning, verb = 'WARNING'): string {
  const where = w.aheadM === undefined ? `${km(w.distanceM)} away` : w.aheadM >= 0 ? `${km(w.aheadM)} ahead` : `${km(-w.aheadM)} behind`
  const time = new Date().toISOString().slice(11, 19)
  return `${time}  ${verb.padEnd(7)}  ${w.cause}  ${where}  age ${Math.round(w.ageS)} s  quality ${w.denm.informationQuality}  [${w.key}]`
}

export function warningJson (event: string, w: ShownWarning): string {
  const d = w.denm
  return JSON.stringify({
    event, action: w.key, cause: d.causeCode, subCause: d.subCauseCode, description: w.cause,
    distanceAheadM: w.aheadM === undefined ? null : Math.round(w.aheadM), distanceM: Math.round(w.distanceM), ageS: Math.round(w.ageS),
    quality: d.informationQuality, position: d.eventPosition, pipeline: d.pipelineId, validUntil: new Date(Number(d.detectionTime) + d.validityDuration * 1000).toISOString()
  })
}

export async function runVehicle (argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(VEHICLE_USAGE + '\n'); return 0 }
  const opts = await resolveVehicleOptions(argv)
  const out = (line: string): void => { process.stdout.write(line + '\n') }
  const car = await createVehicle(opts.init)
  car.addEventListener('warning:shown', (e) => { out(opts.json ? warningJson('warning', e.detail) : formatWarning(e.detail)) })
  car.addEventListener('warning:updated', (e) => { out(opts.json ? warningJson('update', e.detail) : formatWarning(e.detail, 'UPDATE')) })
  car.addEventListener('warning:cleared', (e) => {
    const { key, why } = e.detail
    out(opts.json ? JSON.stringify({ event: 'cleared', action: key, why }) : `${new Date().toISOString().slice(11, 19)}  CLEARED  [${key}] (${why})`)
  })
  await car.start()
  if (!opts.json) out(`ecco-vehicle ${car.peerId} at ${car.getPosition().lat.toFixed(5)},${car.getPosition().lon.toFixed(5)} watching cells ${car.cells().join(' ')}`)
  else out(JSON.stringify({ event: 'started', peerId: car.peerId, cells: car.cells() }))
  return await new Promise<number>((resolve) => {
    const done = (): void => { car.stop().then(() => { resolve(0) }, () => { resolve(1) }) }
    if (opts.durationS !== undefined) setTimeout(done, opts.durationS * 1000)
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
}

export async function vehicleMain (argv: string[]): Promise<number> {
  if (argv.includes('--version')) {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
    process.stdout.write(`ecco-vehicle ${pkg.version}\n`)
    return 0
  }
  try {
    return await runVehicle(argv)
  } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`ecco-vehicle: ${err.message}\n`); return 2 }
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'fatal', error: { name: (err as Error).name, message: (err as Error).message } }) + '\n')
    return 1
  }
}
