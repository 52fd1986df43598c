/**
 * The black-ice pipeline run by hand on the lampposts of a test road: a detector EF per
 * lamppost (sensor readings from that lamppost's SAC), the fusion EF and the
 * hazard-broadcaster EF on the broadcasting lamppost, all real sealed images in one
 * EfRuntime. Each broadcaster output goes to `hazards.onFinaleOutput`, the same hook the
 * pipelines feature's `pipeline:output` event drives.
 */
import type { HazardsFeature } from '../../node/hazards/index.js'
import type { Position } from '../../protocols/index.js'
import {
  EfRuntime, SensorAccessController, decodeHazard, encodeIceReading, loadCatalogue, type Catalogue, type Sandbox
} from '../../unikernels/index.js'

export interface Lamppost { name: string, position: Position, sac: SensorAccessController, detector?: Sandbox }

export class BlackIceChain {
  readonly runtime = new EfRuntime({}, { idleWorkers: 1 })
  catalogue!: Catalogue
  private fusion?: Sandbox
  private broadcaster?: Sandbox
  readonly records: number[] = []

  constructor (readonly detectors: Lamppost[], readonly host: { position: Position, hazards: HazardsFeature }, readonly pipelineId = 'black-ice') {}

  static lamppost (name: string, position: Position, seed: number): Lamppost {
    const sensors = (['road-surface-temperature', 'air-temperature', 'relative-humidity'] as const).map((type) => ({ id: type, type, options: { meanAirC: 12 } }))
    return { name, position, sac: new SensorAccessController({}, { seed, sensors }) }
  }

  async start (): Promise<void> {
    this.catalogue = await loadCatalogue()
    await this.runtime.start()
    for (const l of this.detectors) l.detector = await this.runtime.boot(this.catalogue.get('black-ice-detector'))
    this.fusion = await this.runtime.boot(this.catalogue.get('fusion'))
    this.broadcaster = await this.runtime.boot(this.catalogue.get('hazard-broadcaster'))
  }

  /** One run: detect at every lamppost, fuse, broadcast; returns the action key if a warning was (re)confirmed. */
  async run (): Promise<string | undefined> {
    const detections: Uint8Array[] = []
    for (const l of this.detectors) {
      const reading = encodeIceReading(Number(l.sac.read('road-surface-temperature')), Number(l.sac.read('air-temperature')), Number(l.sac.read('relative-humidity')))
      const r = await l.detector?.invoke(reading)
      if (r?.status === 'ok' && r.outputs.length === 1) detections.push(r.outputs[0].bytes)
    }
    if (detections.length === 0 || this.fusion === undefined || this.broadcaster === undefined) return undefined
    const joined = new Uint8Array(detections.reduce((n, d) => n + d.length, 0))
    let at = 0
    for (const d of detections) { joined.set(d, at); at += d.length }
    const fused = await this.fusion.invoke(joined)
    if (fused.status !== 'ok' || fused.outputs.length !== 1) return undefined
    const out = await this.broadcaster.invoke(fused.outputs[0].bytes)
    if (out.status !== 'ok' || out.outputs.length === 0) return undefined
    const record = decodeHazard(out.outputs[0].bytes)
    this.records.push(record.actionSeq)
    return await this.host.hazards.onFinaleOutput(record, { pipelineId: this.pipelineId, position: this.host.position })
  }

  /** Runs the pipeline every `ms` (never two runs at once) until the returned stop is called. */
  every (ms: number): () => Promise<void> {
    let stopped = false
    const loop = (async () => {
      while (!stopped) {
        try { await this.run() } catch (err) { this.errors.push(err as Error) }
        if (!stopped) await new Promise((resolve) => setTimeout(resolve, ms))
      }
    })()
    return async () => { stopped = true; await loop }
  }

  readonly errors: Error[] = []

  async stop (): Promise<void> {
    for (const ef of [...this.detectors.map((l) => l.detector), this.fusion, this.broadcaster]) await ef?.stop().catch(() => {})
    await this.runtime.stop()
  }
}
