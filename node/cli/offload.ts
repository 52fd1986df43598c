/**
 * `ecco-peer offload`: a test client that plays one or more mobile devices against a T1
 * gateway peer (handshake, offload, optionally release) and prints each device's candidate list.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { createOffloadClient, MOBILE_PROFILES, simulatedDevice, type MobileProfileName, type OffloadPlacement } from '../../protocols/index.js'
import { ConfigError } from '../errors.js'
import { checkMultiaddr } from '../config/parse.js'
import { asNumber, asOneOf } from '../config/fields.js'
import { parseFlags } from './args.js'

export const OFFLOAD_USAGE = `Usage: ecco-peer offload --gateway <multiaddr> [options]

Plays simulated mobile devices against a Nimbus T1 gateway: handshake (requirements),
offload (candidate list), and with --release the release phase.

Options:
  --gateway <multiaddr>   the T1 gateway peer (with /p2p/<id>)          (required)
  --devices <n>           devices to simulate                            (default 1)
  --prefix <name>         device ids are <prefix>-<i>                    (default md)
  --fps <n>               frames per second; eps_t = 1000/fps            (default 15)
  --profile <name>        ${Object.keys(MOBILE_PROFILES).join(', ')}     (default Mobile_A)
  --concurrency <n>       devices in flight at once                      (default 8)
  --release               release every reservation after the offer
  --timeout-ms <ms>       per-device deadline                            (default 15000)
  --json                  print one JSON object per device
  --help`

const OPTIONS = {
  gateway: { type: 'string' },
  devices: { type: 'string' },
  prefix: { type: 'string' },
  fps: { type: 'string' },
  profile: { type: 'string' },
  concurrency: { type: 'string' },
  release: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' }
} as const

interface Outcome { device: string, placement?: OffloadPlacement, candidates?: number, released?: boolean, error?: string }

function line (o: Outcome): string {
  const p = o.placement
  if (p === undefined) return `${o.device}  failed: ${o.error ?? '?'}`
  const where = p.target === 'edge' ? `edge ${(p.en ?? '').slice(-8)} (t${p.tier ?? '?'})` : p.target === 'cloud' ? `cloud ${p.cloud ?? ''}` : 'local'
  const rel = o.released === undefined ? '' : o.released ? '  released' : '  release failed'
  return `${o.device}  ${where.padEnd(22)} L=${p.latencyMs.toFixed(1)} ms (eps_t ${p.epsT.toFixed(1)})  B=${p.energyMJ.toFixed(0)} mJ  stage ${p.stage}${p.reserved ? '  reserved' : ''}${rel}`
}

export async function runOffload (argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS)
  if (v.help === true) { process.stdout.write(OFFLOAD_USAGE + '\n'); return 0 }
  if (typeof v.gateway !== 'string') throw new ConfigError('--gateway: required (the multiaddr of a T1 gateway peer)')
  const gateway: Multiaddr = multiaddr(checkMultiaddr(v.gateway, '--gateway'))
  const n = v.devices === undefined ? 1 : asNumber(v.devices, '--devices', { min: 1, max: 100_000, integer: true })
  const fps = v.fps === undefined ? 15 : asNumber(v.fps, '--fps', { min: 0.1, max: 1000 })
  const profile: MobileProfileName = v.profile === undefined ? 'Mobile_A' : asOneOf(v.profile, Object.keys(MOBILE_PROFILES) as MobileProfileName[], '--profile')
  const concurrency = v.concurrency === undefined ? 8 : asNumber(v.concurrency, '--concurrency', { min: 1, max: 256, integer: true })
  const timeoutMs = v['timeout-ms'] === undefined ? 15_000 : asNumber(v['timeout-ms'], '--timeout-ms', { min: 100, integer: true })
  const prefix = typeof v.prefix === 'string' ? v.prefix : 'md'
  const node = await createLibp2p({
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // roadside networks are private address space
    connectionGater: { denyDialMultiaddr: () => false },
    connectionManager: { dialTimeout: timeoutMs }
  })
  const client = createOffloadClient({ dialer: node }, { timeoutMs })
  const outcomes: Outcome[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < n) {
      const device = `${prefix}-${next++}`
      const o: Outcome = { device }
      try {
        const r = await client.offload(gateway, simulatedDevice(device, { profile, fps }))
        o.placement = r.placement
        o.candidates = r.candidates.length
        if (v.release === true && r.placement.target !== 'local') o.released = await client.release(gateway, device, r.placement.en ?? '')
      } catch (err) {
        o.error = `${(err as Error).name}: ${(err as Error).message}`
      }
      outcomes.push(o)
      process.stdout.write((v.json === true ? JSON.stringify(o) : line(o)) + '\n')
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker))
  } finally {
    await node.stop()
  }
  const count = (t: string): number => outcomes.filter((o) => o.placement?.target === t).length
  const failed = outcomes.filter((o) => o.error !== undefined).length
  if (v.json !== true) process.stdout.write(`${n} devices: ${count('edge')} edge, ${count('cloud')} cloud, ${count('local')} local, ${failed} failed\n`)
  return failed === 0 ? 0 : 1
}
