import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ImageNotFoundError, InvalidManifestError } from './errors.js'
import { parseManifest } from './manifest.js'
import { verifyHash } from './seal.js'
import type { EfImage } from './manifest.js'

/** Where the build writes images: dist/unikernels/images next to this module. */
export const DEFAULT_CATALOGUE_DIR = fileURLToPath(new URL('./images/', import.meta.url))

export interface LoadCatalogueOptions {
  /**
   * Folder with `<name>.wasm` + `<name>.json` pairs
   * @default DEFAULT_CATALOGUE_DIR (dist/unikernels/images)
   */
  dir?: string
  /**
   * Include test/benchmark fixtures (manifest `fixture: true`)
   * @default false
   */
  fixtures?: boolean
}

/** Images by name, each verified against its content hash. */
export interface Catalogue {
  readonly images: ReadonlyMap<string, EfImage>
  /** Throws ImageNotFoundError naming the missing image and what exists. */
  get(name: string): EfImage
  byHash(hash: string): EfImage | undefined
  names(): string[]
}

export async function loadImage (dir: string, name: string): Promise<EfImage> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8'))
  } catch (err) {
    throw new InvalidManifestError(`manifest of ${name}: cannot read ${join(dir, `${name}.json`)}: ${(err as Error).message}`, name)
  }
  const manifest = parseManifest(json)
  const bytes = new Uint8Array(await readFile(join(dir, `${name}.wasm`)))
  const image = { manifest, bytes }
  verifyHash(image)
  return image
}

export async function loadCatalogue (options: LoadCatalogueOptions = {}): Promise<Catalogue> {
  const dir = options.dir ?? DEFAULT_CATALOGUE_DIR
  const files = await readdir(dir)
  const images = new Map<string, EfImage>()
  for (const file of files.filter(f => f.endsWith('.json')).sort()) {
    const name = file.slice(0, -'.json'.length)
    if (!files.includes(`${name}.wasm`)) continue
    const image = await loadImage(dir, name)
    if (image.manifest.fixture === true && options.fixtures !== true) continue
    images.set(image.manifest.name, image)
  }
  return {
    images,
    get (name) {
      const image = images.get(name)
      if (image == null) throw new ImageNotFoundError(`image ${name} not in catalogue ${dir} (has: ${[...images.keys()].join(', ')})`, name)
      return image
    },
    byHash (hash) {
      for (const image of images.values()) if (image.manifest.hash === hash) return image
      return undefined
    },
    names () {
      return [...images.keys()]
    }
  }
}
