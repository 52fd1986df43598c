// Build entry for the EF catalogue (run by `npm run build:images` after tsc).
// Compiles every unikernels/images/<name>/index.ts with AssemblyScript (optimised, no
// WASI, shared imported memory), seals the result (imports only from module "ecco"),
// and writes <name>.wasm + <name>.json (manifest with sha256 content hash). An image
// whose sources, config and compiler did not change is skipped.
//
// Usage: node dist/unikernels/build-images.js [--src unikernels/images] [--out dir] [--force]
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import asc from 'assemblyscript/asc'
import { ABI_MODULE, ABI_VERSION, INBOX_OFFSET, WASM_PAGE } from './constants.js'
import { renameImportModules } from './wasm-binary.js'
import { checkImports, sha256Hex } from './seal.js'
import { parseManifest } from './manifest.js'
import type { ImageManifest } from './manifest.js'

interface ImageConfig {
  name: string
  version: string
  description?: string
  memoryLimitBytes: number
  timeLimitMs: number
  inboxBytes: number
  sensors: string[]
  stateful: boolean
  fixture?: boolean
}

/** Flags every image is compiled with; part of the incremental-build key. */
const ASC_FLAGS = ['-O3', '--noAssert', '--runtime', 'incremental', '--importMemory', '--sharedMemory',
  '--enable', 'threads', '--noExportMemory', '--disableWarning']

async function sourceFiles (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...await sourceFiles(path))
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) out.push(path)
  }
  return out
}

async function sourceHash (dirs: string[], flags: string[]): Promise<string> {
  const h = createHash('sha256').update(`asc ${asc.version}\n${flags.join(' ')}\nabi ${ABI_VERSION}\n`)
  for (const dir of dirs) {
    for (const file of await sourceFiles(dir)) h.update(file.slice(dir.length)).update(await readFile(file))
  }
  return h.digest('hex')
}

function inboxEnd (config: ImageConfig): number {
  return Math.ceil((INBOX_OFFSET + config.inboxBytes) / 16) * 16
}

async function compile (entry: string, config: ImageConfig): Promise<Uint8Array> {
  let wasm: Uint8Array | undefined
  const stderr: string[] = []
  const limitPages = config.memoryLimitBytes / WASM_PAGE
  const { error } = await asc.main([entry, '-o', 'out.wasm', ...ASC_FLAGS,
    '--maximumMemory', String(limitPages), '--memoryBase', String(inboxEnd(config))], {
    writeFile: (name, contents) => { if (name.endsWith('.wasm') && typeof contents !== 'string') wasm = contents },
    stderr: { write: (chunk: Uint8Array | string) => { stderr.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)); return true } }
  })
  if (error != null || wasm == null) throw new Error(`asc failed for ${config.name}: ${error?.message ?? 'no output'}\n${stderr.join('')}`)
  // AssemblyScript hard-codes env.memory and env.abort: move them into the host ABI module
  return renameImportModules(wasm, { 'env.memory': ABI_MODULE, 'env.abort': ABI_MODULE })
}

async function upToDate (out: string, name: string, hash: string): Promise<boolean> {
  try {
    const manifest = parseManifest(JSON.parse(await readFile(join(out, `${name}.json`), 'utf8')))
    const bytes = await readFile(join(out, `${name}.wasm`))
    return manifest.sourceHash === hash && sha256Hex(bytes) === manifest.hash
  } catch {
    return false
  }
}

async function writeAtomic (path: string, data: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.tmp`, data)
  await rename(`${path}.tmp`, path)
}

export async function buildImage (src: string, out: string, name: string, force = false): Promise<{ manifest: ImageManifest, built: boolean }> {
  const dir = join(src, name)
  const config = JSON.parse(await readFile(join(dir, 'image.json'), 'utf8')) as ImageConfig
  if (config.name !== name) throw new Error(`image.json in ${dir} names ${config.name}, folder is ${name}`)
  const hash = await sourceHash([dir, join(src, '_lib')], ASC_FLAGS)
  if (!force && await upToDate(out, name, hash)) {
    return { manifest: parseManifest(JSON.parse(await readFile(join(out, `${name}.json`), 'utf8'))), built: false }
  }
  const bytes = await compile(join(dir, 'index.ts'), config)
  checkImports(name, bytes)
  const manifest = parseManifest({
    name,
    version: config.version,
    description: config.description,
    hash: sha256Hex(bytes),
    size: bytes.length,
    abi: ABI_VERSION,
    memoryLimitBytes: config.memoryLimitBytes,
    timeLimitMs: config.timeLimitMs,
    sensors: config.sensors,
    stateful: config.stateful,
    inbox: { offset: INBOX_OFFSET, capacity: inboxEnd(config) - INBOX_OFFSET },
    fixture: config.fixture,
    sourceHash: hash,
    compiler: `assemblyscript ${asc.version}`
  })
  await writeAtomic(join(out, `${name}.wasm`), bytes)
  await writeAtomic(join(out, `${name}.json`), JSON.stringify(manifest, null, 2) + '\n')
  return { manifest, built: true }
}

export async function buildImages (src: string, out: string, force = false): Promise<ImageManifest[]> {
  await mkdir(out, { recursive: true })
  const names: string[] = []
  for (const entry of await readdir(src, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue
    if ((await stat(join(src, entry.name, 'image.json')).catch(() => null)) != null) names.push(entry.name)
  }
  const manifests: ImageManifest[] = []
  for (const name of names.sort()) {
    const started = performance.now()
    const { manifest, built } = await buildImage(src, out, name, force)
    manifests.push(manifest)
    process.stdout.write(`ef ${name}: ${built ? `built in ${Math.round(performance.now() - started)} ms` : 'up to date'}, ${manifest.size} bytes, sha256 ${manifest.hash.slice(0, 12)}\n`)
  }
  return manifests
}

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

if (process.argv[1] != null && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = resolve(arg('--src') ?? join(process.cwd(), 'unikernels', 'images'))
  const out = resolve(arg('--out') ?? fileURLToPath(new URL('./images/', import.meta.url)))
  buildImages(src, out, process.argv.includes('--force')).catch((err: Error) => {
    process.stderr.write(`build-images: ${err.message}\n`)
    process.exitCode = 1
  })
}
