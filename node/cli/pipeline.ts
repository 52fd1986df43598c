/**
 * `ecco-peer pipeline keygen|sign|validate|submit|status|trigger|stop`: the
 * issuer's side of pipelines. Descriptors are YAML for people; the CLI pins
 * image hashes from the catalogue, validates, signs with the issuer key and
 * talks to any peer over /ecco/pipeline/1.0.0.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import {
  Command, CommandOp, ControlOp, ControlRequest, decodeControlResponse, formatIssuer, generateIssuerKey, issuerKeyFromText, issuerKeyToText,
  IssuerKeyError, openChannel, parseDescriptorYaml, PipelineValidationError, PIPELINE_CONTROL_PROTOCOL, PIPELINE_VERSION,
  signCommand, signDescriptor, SignedDescriptor, validateDescriptor, decodeMessage, MAX_CONTROL_BYTES,
  type ControlResponse, type PipelineDescriptor, type PipelineStatus
} from '../../protocols/index.js'
import { DEFAULT_CATALOGUE_DIR, loadCatalogue } from '../../unikernels/index.js'
import { ConfigError } from '../errors.js'
import { parseFlags } from './args.js'

export const PIPELINE_USAGE = `Usage: ecco-peer pipeline <command> [options]

  keygen --out <key-file>                      create an issuer key; prints the public key to trust
  sign <file.yaml> --key <key-file> --out <f>  write a signed descriptor (protobuf)
  validate <file.yaml>                         check a descriptor (exit 2 names the bad field)
  submit <file.yaml|signed> --to <multiaddr> [--key <key-file>]
  status [<id>] --to <multiaddr>               placement, runs and failures (JSON)
  trigger <id> --to <multiaddr> --key <key-file> [--run <n>] [--payload <file>]
  stop <id> --to <multiaddr> --key <key-file>

Options:
  --catalogue <dir>   EF catalogue for image hashes (default: the build's dist/unikernels/images)`

const OPTIONS = {
  out: { type: 'string' },
  key: { type: 'string' },
  to: { type: 'string' },
  run: { type: 'string' },
  payload: { type: 'string' },
  catalogue: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

async function readText (file: string, flag: string): Promise<string> {
  try { return await readFile(file, 'utf8') } catch (err) { throw new ConfigError(`${flag}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`) }
}

async function issuerKey (file: unknown): Promise<Awaited<ReturnType<typeof generateIssuerKey>>> {
  if (typeof file !== 'string') throw new ConfigError('--key: the issuer key file is required (create one with ecco-peer pipeline keygen)')
  try { return issuerKeyFromText(await readText(file, '--key')) } catch (err) {
    if (err instanceof IssuerKeyError) throw new ConfigError(`--key: ${file}: ${err.message}`)
    throw err
  }
}

/** Parses and validates a YAML descriptor, pinning image hashes from the catalogue. */
export async function loadDescriptor (file: string, catalogueDir?: string): Promise<PipelineDescriptor> {
  const text = await readText(file, 'descriptor')
  let images: Map<string, string> | undefined
  try {
    const catalogue = await loadCatalogue({ dir: catalogueDir ?? DEFAULT_CATALOGUE_DIR, fixtures: true })
    images = new Map([...catalogue.images.values()].map((i) => [i.manifest.name, i.manifest.hash]))
  } catch (err) {
    if (catalogueDir !== undefined) throw new ConfigError(`--catalogue: ${(err as Error).message}`)
  }
  try {
    const d = parseDescriptorYaml(text, file)
    validateDescriptor(d, images === undefined ? {} : { images })
    for (const s of d.stages) if (s.image !== undefined && s.image.hash === '' && images !== undefined) s.image.hash = images.get(s.image.name) ?? ''
    return d
  } catch (err) {
    if (err instanceof PipelineValidationError) throw new ConfigError(`${file}: ${err.name}: ${err.message}`)
    throw err
  }
}

/** One request to a peer's control protocol from a throwaway libp2p node. */
export async function control (to: unknown, req: Omit<ControlRequest, 'version'>): Promise<ControlResponse> {
  if (typeof to !== 'string') throw new ConfigError('--to: the multiaddr of a peer is required')
  let addr
  try { addr = multiaddr(to) } catch { throw new ConfigError(`--to: not a valid multiaddr: "${to}"`) }
  const node = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  try {
    const stream = await node.dialProtocol(addr, PIPELINE_CONTROL_PROTOCOL, { signal: AbortSignal.timeout(15_000) })
    const ch = openChannel(stream, { maxFrameBytes: MAX_CONTROL_BYTES, timeoutMs: 15_000 })
    ch.write(ControlRequest.encode({ ...req, version: PIPELINE_VERSION }))
    const res = decodeControlResponse(await ch.read())
    await ch.close()
    if (!res.ok) throw new ConfigError(`peer refused: ${res.error}`)
    return res
  } finally {
    await node.stop()
  }
}

function statusJson (s: PipelineStatus): Record<string, unknown> {
  return {
    id: s.id,
    state: s.state.replace('STATE_', '').toLowerCase(),
    priority: s.priority,
    digest: s.digest,
    placement: s.placement.map((p) => ({ stage: p.stage, slot: p.slot, peer: p.peer === '' ? null : p.peer })),
    runs: { started: Number(s.runsStarted), completed: Number(s.runsCompleted), partial: Number(s.runsPartial), degraded: Number(s.runsDegraded) },
    failures: { count: Number(s.failures), recent: s.recentFailures },
    skippedStages: s.skippedStages,
    localStages: s.localStages,
    preemptedStages: s.preemptedStages
  }
}

async function signedFrom (file: string, keyFile: unknown, catalogue: string | undefined): Promise<SignedDescriptor> {
  if (/\.ya?ml$/.test(file)) return await signDescriptor(await loadDescriptor(file, catalogue), await issuerKey(keyFile))
  const bytes = await readFile(file).catch(() => { throw new ConfigError(`descriptor: cannot read ${file}`) })
  try { return decodeMessage(SignedDescriptor, bytes, 'SignedDescriptor', { maxBytes: MAX_CONTROL_BYTES }) } catch (err) {
    throw new ConfigError(`${file}: not a YAML or signed descriptor: ${(err as Error).message}`)
  }
}

async function sendCommand (v: Record<string, unknown>, id: string | undefined, op: CommandOp): Promise<number> {
  if (id === undefined) throw new ConfigError('<id>: the pipeline id is required')
  const key = await issuerKey(v.key)
  let run = BigInt(Date.now())
  if (typeof v.run === 'string') {
    if (!/^\d+$/.test(v.run)) throw new ConfigError(`--run: must be a non-negative integer, got "${v.run}"`)
    run = BigInt(v.run)
  }
  const payload = typeof v.payload === 'string' ? new Uint8Array(await readFile(v.payload).catch(() => { throw new ConfigError(`--payload: cannot read ${String(v.payload)}`) })) : new Uint8Array(0)
  const c: Command = { version: PIPELINE_VERSION, pipelineId: id, op, issuedAtMs: BigInt(Date.now()), run, payload }
  await control(v.to, { op: ControlOp.CONTROL_COMMAND, command: await signCommand(c, key), pipelineId: id })
  process.stdout.write(op === CommandOp.COMMAND_STOP ? `stopped ${id}\n` : `triggered ${id} run ${run}\n`)
  return 0
}

export async function runPipeline (argv: string[]): Promise<number> {
  const { values: v, positionals: [cmd, arg] } = parseFlags(argv, OPTIONS, true)
  const catalogue = typeof v.catalogue === 'string' ? v.catalogue : undefined
  if (v.help === true || cmd === undefined) { process.stdout.write(PIPELINE_USAGE + '\n'); return cmd === undefined && v.help !== true ? 2 : 0 }
  switch (cmd) {
    case 'keygen': {
      if (typeof v.out !== 'string') throw new ConfigError('--out: where to write the issuer key is required')
      const key = await generateIssuerKey()
      await writeFile(v.out, issuerKeyToText(key) + '\n', { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => { throw new ConfigError(`--out: cannot write ${String(v.out)}: ${err.code ?? err.message}`) })
      process.stdout.write(`${formatIssuer(key.publicKey)}\n`)
      return 0
    }
    case 'validate': {
      if (arg === undefined) throw new ConfigError('<file>: the descriptor file is required')
      const d = await loadDescriptor(arg, catalogue)
      process.stdout.write(`ok: pipeline ${d.id}, ${d.stages.length} stages\n`)
      return 0
    }
    case 'sign': {
      if (arg === undefined) throw new ConfigError('<file>: the descriptor file is required')
      if (typeof v.out !== 'string') throw new ConfigError('--out: where to write the signed descriptor is required')
      const signed = await signDescriptor(await loadDescriptor(arg, catalogue), await issuerKey(v.key))
      await writeFile(v.out, SignedDescriptor.encode(signed))
      process.stdout.write(`signed ${arg} -> ${v.out}\n`)
      return 0
    }
    case 'submit': {
      if (arg === undefined) throw new ConfigError('<file>: the descriptor file is required')
      const signed = await signedFrom(arg, v.key, catalogue)
      await control(v.to, { op: ControlOp.CONTROL_SUBMIT, descriptor: signed, pipelineId: '' })
      process.stdout.write(`submitted ${arg}\n`)
      return 0
    }
    case 'status': {
      const res = await control(v.to, { op: ControlOp.CONTROL_STATUS, pipelineId: arg ?? '' })
      if (arg !== undefined && res.status.length === 0) throw new ConfigError(`<id>: the peer knows no pipeline "${arg}"`)
      const out = res.status.map(statusJson)
      process.stdout.write(JSON.stringify(arg === undefined ? out : out[0], null, 2) + '\n')
      return 0
    }
    case 'trigger': return await sendCommand(v, arg, CommandOp.COMMAND_TRIGGER)
    case 'stop': return await sendCommand(v, arg, CommandOp.COMMAND_STOP)
    default: throw new ConfigError(`unknown pipeline command "${cmd}" (keygen, sign, validate, submit, status, trigger, stop)`)
  }
}

