/**
 * The `checkpoints` peer feature (issue 6): stateful EF instances with replicated
 * checkpoints, exactly-once outputs, failover with epoch fencing, live migration and
 * drain. Enabled by a `checkpoints:` section in the peer config (see config.ts).
 *
 * In process: `const f = peer.features.get('checkpoints') as CheckpointsFeature`, then
 * `f.service.startInstance({ instance, image: 'counter', sink })`, `f.migrate(instance, to)`,
 * `f.drain()`, and the typed events on `f.service` (`ef:output`, `ef:resumed`,
 * `ef:status`, `sink:output`). From a shell: `ecco-peer ef ...` / `ecco-peer drain`
 * through the loopback control API (control.ts).
 *
 * Stateful pipeline stages: on a peer that also runs the pipelines feature, a stage whose
 * image is stateful keeps its state in checkpoints replicated the same way
 * (`service.stageState(...)`, stage-state.ts); the pipeline's placement decides where it
 * runs, and the next host attaches to the newest replicated state.
 */
import { CheckpointMessage } from '../../protocols/index.js'
import type { EccoPeer } from '../peer.js'
import type { PeerFeature } from '../features.js'
import { counter, gauge, type MetricFamily } from '../metrics.js'
import { CHECKPOINTS_SECTION, parseCheckpointsSection, type CheckpointsConfig } from './config.js'
import { startControlServer, type ControlServer } from './control.js'
import { reconcile } from './failover.js'
import { supersededByStored } from './replica-store.js'
import { requestHandler } from './handlers.js'
import { drain, migrate, MigrationError, type MigrationResult } from './migration.js'
import { CheckpointService, type StartInstanceOptions } from './service.js'

export { CHECKPOINTS_SECTION, parseCheckpointsSection, DEFAULT_CHECKPOINTS_CONFIG } from './config.js'
export type { CheckpointsConfig } from './config.js'
export { CONTROL_FILE } from './control.js'
export { CheckpointService } from './service.js'
export type { CheckpointsEvents, StartInstanceOptions } from './service.js'
export { HostedInstance } from './host.js'
export type { InstanceStatus } from './host.js'
export { MigrationError } from './migration.js'
export type { MigrationResult } from './migration.js'
export type { SinkOutput, SinkState } from './sink.js'
export { StatefulStage, StageLedger } from './stage-state.js'
export type { StageInputRef } from './stage-state.js'

const GC_EVERY_TICKS = 20

export class CheckpointsFeature implements PeerFeature {
  readonly name = 'checkpoints'
  readonly service: CheckpointService
  private control?: ControlServer
  private timer?: ReturnType<typeof setInterval>
  private ticks = 0
  private readonly onGone = (): void => { reconcile(this.service) }

  constructor (peer: EccoPeer, config: CheckpointsConfig) {
    this.service = new CheckpointService(peer, config)
  }

  async start (peer: EccoPeer): Promise<void> {
    const svc = this.service
    await svc.open()
    await svc.network.start(requestHandler(svc))
    peer.addEventListener('peer:gone', this.onGone)
    this.timer = setInterval(() => { this.tick() }, Math.max(50, Math.floor(peer.config.heartbeatMs / 2)))
    this.timer.unref?.()
    this.control = await startControlServer({
      get: { '/ef': () => this.list() },
      post: {
        '/ef/start': async (b) => (await svc.startInstance(startOptions(b))).view(),
        '/ef/migrate': async (b) => await this.migrate(str(b.instance, 'instance'), str(b.to, 'to')),
        '/drain': async () => await this.drain()
      }
    }, svc.config.controlPort, peer.config.dataDir)
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.service.peer.removeEventListener('peer:gone', this.onGone)
    await this.control?.close()
    await this.service.network.stop().catch(() => {})
    await this.service.close()
  }

  get controlPort (): number | undefined { return this.control?.port }

  private tick (): void {
    reconcile(this.service)
    if (++this.ticks % GC_EVERY_TICKS !== 0) return
    const svc = this.service
    void svc.replicas.collect((r) => supersededByStored(r, svc.holders.holders(r.instance), svc.self), svc.config.gcAfterMs).catch(() => {})
  }

  async migrate (instance: string, to: string): Promise<MigrationResult> {
    return await migrate(this.service, instance, to)
  }

  async drain (): Promise<Array<MigrationResult | { instance: string, error: string }>> {
    return await drain(this.service)
  }

  list (): Record<string, unknown> {
    const svc = this.service
    return {
      peerId: svc.self,
      draining: svc.draining,
      hosted: [...svc.hosted.values()].map((h) => h.view()),
      replicas: svc.replicas.all().map((r) => ({ instance: r.instance, epoch: Number(r.epoch), seq: Number(r.seq), host: r.host, bytes: r.checkpoint.byteLength, outbox: r.outbox.length, current: svc.holders.current(r.instance) })),
      sink: svc.sink.list(),
      counters: svc.counters
    }
  }

  routes (): Record<string, () => unknown> {
    return { '/ef': () => this.list() }
  }

  metrics (): MetricFamily[] {
    const svc = this.service
    const n = svc.network.stats
    return [
      gauge('ecco_ef_hosted', 'Stateful EF instances hosted here', svc.hosted.size),
      gauge('ecco_checkpoint_replicas_held', 'Replica checkpoints held for other hosts', svc.replicas.all().length),
      counter('ecco_checkpoint_stored_total', 'Checkpoints stored as replica', svc.counters.stored),
      counter('ecco_ef_failovers_total', 'EF instances resumed here after their host was gone', svc.counters.failovers),
      counter('ecco_ef_fenced_total', 'EF copies stopped here because a newer epoch exists', svc.counters.fenced),
      counter('ecco_ef_migrations_total', 'Live migrations by direction', [{ labels: { direction: 'in' }, value: svc.counters.migrationsIn }, { labels: { direction: 'out' }, value: svc.counters.migrationsOut }]),
      counter('ecco_ef_outputs_released_total', 'EF outputs released after output commit', svc.counters.released),
      counter('ecco_checkpoint_bytes_total', 'Bytes on /ecco/checkpoint/3.0.0', [{ labels: { direction: 'out' }, value: n.bytesOut }, { labels: { direction: 'in' }, value: n.bytesIn }]),
      counter('ecco_checkpoint_invalid_messages_total', 'Checkpoint messages dropped as invalid', n.invalidMessages)
    ]
  }
}

function str (v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new MigrationError(`${field}: must be a non-empty string`)
  return v
}

function optInt (v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new MigrationError(`${field}: must be a non-negative integer`)
  return v
}

function startOptions (b: Record<string, unknown>): StartInstanceOptions {
  const o: StartInstanceOptions = { instance: str(b.instance, 'instance'), image: str(b.image, 'image') }
  if (b.sink !== undefined) o.sink = str(b.sink, 'sink')
  const quorum = optInt(b.quorum, 'quorum')
  if (quorum !== undefined) o.quorum = quorum
  const replicas = optInt(b.replicas, 'replicas')
  if (replicas !== undefined) o.replicas = replicas
  const interval = optInt(b.stepIntervalMs, 'stepIntervalMs')
  if (interval !== undefined) o.stepIntervalMs = interval
  if (b.seed !== undefined) {
    if (typeof b.seed !== 'object' || b.seed === null) throw new MigrationError('seed: must be an object of integers')
    o.seed = Object.fromEntries(Object.entries(b.seed).map(([k, v]) => [k, BigInt(optInt(v, `seed.${k}`) ?? 0)]))
  }
  return o
}

/** The feature factory for DEFAULT_FEATURES: on when the config has a `checkpoints:` section. */
export function checkpointsFeature (peer: EccoPeer): CheckpointsFeature | undefined {
  const raw = peer.config.sections[CHECKPOINTS_SECTION]
  // parsed already when it came from YAML; parsing again fills defaults for programmatic configs
  return raw === undefined ? undefined : new CheckpointsFeature(peer, parseCheckpointsSection(raw, CHECKPOINTS_SECTION))
}

/** Re-exported for tests that speak the wire directly. */
export { CheckpointMessage }
