// Sensor Access Controller (thesis SAC): the peer's sensors and actuators behind one
// typed interface. Access is multiplexed with leases: any number of shared (read) leases,
// or one exclusive lease (actuators); requests queue in order, so an exclusive request is
// not starved by a stream of readers. An EF reads only what its manifest declares.
import { AbortError } from '@libp2p/interface'
import { InvalidSensorConfigError, SensorAccessDeniedError, UnknownSensorError } from './errors.js'
import { ACTUATORS, SENSOR_UNITS, conditionWindow, emulatedDriver } from './sac-drivers.js'
import type { DriverFactory, SensorCondition, SensorConfig, SensorDriver, SensorType, SensorValue } from './sac-drivers.js'
import type { SensorSnapshot } from './protocol.js'

export type LeaseMode = 'shared' | 'exclusive'

export interface SensorInfo { id: string, type: SensorType, unit: string, driver: string, actuator: boolean }

export interface SensorLease {
  readonly sensor: string
  readonly holder: string
  readonly mode: LeaseMode
  read(): SensorValue
  /** Actuators only, exclusive lease only. */
  write(value: SensorValue): void
  release(): void
}

export interface SensorAccessControllerComponents {
  /** SAC clock in ms (sim-net passes its simulated clock) @default Date.now */
  now?: () => number
}

export interface SensorAccessControllerInit {
  /** The peer config's sensors. */
  sensors?: SensorConfig[]
  /** Seed of the peer's weather model @default 1 */
  seed?: number
  /** Extra drivers by name; 'emulated' is always present. */
  drivers?: Record<string, DriverFactory>
}

export interface InjectedCondition { id: string, condition: SensorCondition }

interface Waiter { mode: LeaseMode, holder: string, grant: () => void }

interface Slot {
  config: SensorConfig
  driver: SensorDriver
  shared: number
  exclusive?: string
  queue: Waiter[]
}

export class SensorAccessController {
  private readonly slots = new Map<string, Slot>()
  private readonly conditions = new Map<string, SensorCondition>()
  private readonly now: () => number
  private nextCondition = 1

  constructor (components: SensorAccessControllerComponents = {}, init: SensorAccessControllerInit = {}) {
    this.now = components.now ?? Date.now
    const drivers: Record<string, DriverFactory> = { emulated: emulatedDriver, ...init.drivers }
    const seed = init.seed ?? 1
    for (const config of init.sensors ?? []) {
      if (this.slots.has(config.id)) throw new InvalidSensorConfigError(`sensor ${config.id}: duplicate id`)
      const factory = drivers[config.driver ?? 'emulated']
      if (factory == null) throw new InvalidSensorConfigError(`sensor ${config.id}: unknown driver ${config.driver}`)
      this.slots.set(config.id, { config, driver: factory(config, seed), shared: 0, queue: [] })
    }
  }

  list (): SensorInfo[] {
    return [...this.slots.values()].map(({ config }) => ({
      id: config.id, type: config.type, unit: config.unit ?? SENSOR_UNITS[config.type], driver: config.driver ?? 'emulated', actuator: ACTUATORS.has(config.type)
    }))
  }

  /** A name is a sensor id, or else a type (first sensor of that type). */
  has (name: string): boolean {
    return this.find(name) != null
  }

  /** Injects a condition (e.g. ice from t1 to t2); returns its id for clear(). */
  inject (condition: SensorCondition): string {
    const [from, to] = conditionWindow(condition)
    if (!(Number.isFinite(from) && Number.isFinite(to) && to > from)) throw new InvalidSensorConfigError(`condition ${condition.kind}: window [${from}, ${to}) is empty or not finite`)
    if (condition.kind === 'override' && this.find(condition.sensor) == null) throw new UnknownSensorError(`condition override: no sensor ${condition.sensor}`)
    const id = `c${this.nextCondition++}`
    this.conditions.set(id, condition)
    return id
  }

  clear (id?: string): void {
    if (id == null) this.conditions.clear()
    else this.conditions.delete(id)
  }

  injected (): InjectedCondition[] {
    return [...this.conditions].map(([id, condition]) => ({ id, condition }))
  }

  /** Direct read by the peer itself (not on behalf of an EF). */
  read (name: string, t = this.now()): SensorValue {
    return this.sample(this.slot(name), t)
  }

  async acquire (holder: string, name: string, options: { mode?: LeaseMode, signal?: AbortSignal } = {}): Promise<SensorLease> {
    const slot = this.slot(name)
    const mode = options.mode ?? 'shared'
    options.signal?.throwIfAborted()
    if (this.grantable(slot, mode, slot.queue.length === 0)) {
      this.take(slot, mode, holder)
    } else {
      // pump() takes the lease on our behalf before resolving, so nobody overtakes
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { mode, holder, grant: resolve }
        slot.queue.push(waiter)
        options.signal?.addEventListener('abort', () => {
          const i = slot.queue.indexOf(waiter)
          if (i >= 0) {
            slot.queue.splice(i, 1)
            reject(new AbortError(`lease of ${name} for ${holder} aborted while queued`))
            this.pump(slot)
          }
        }, { once: true })
      })
    }
    return this.lease(slot, mode, holder)
  }

  /** Reads `names` for an EF under shared leases; refuses names its manifest does not declare. */
  async snapshot (holder: string, declared: readonly string[], names: readonly string[] = declared, options: { signal?: AbortSignal } = {}): Promise<SensorSnapshot> {
    const out: SensorSnapshot = {}
    const t = this.now()
    for (const name of names) {
      if (!declared.includes(name)) throw new SensorAccessDeniedError(`${holder}: sensor ${name} is not declared in the manifest (declares: ${declared.join(', ') || 'none'})`, holder)
      if (this.find(name) == null) continue
      const lease = await this.acquire(holder, name, { mode: 'shared', signal: options.signal })
      try {
        out[name] = this.sample(this.slot(name), t)
      } finally {
        lease.release()
      }
    }
    return out
  }

  private find (name: string): Slot | undefined {
    const byId = this.slots.get(name)
    if (byId != null) return byId
    for (const slot of this.slots.values()) if (slot.config.type === name) return slot
    return undefined
  }

  private slot (name: string): Slot {
    const slot = this.find(name)
    if (slot == null) throw new UnknownSensorError(`no sensor ${name} on this peer (has: ${[...this.slots.keys()].join(', ') || 'none'})`)
    return slot
  }

  private sample (slot: Slot, t: number): SensorValue {
    const conds = [...this.conditions.values()]
    for (const c of conds) {
      if (c.kind === 'override' && t >= c.from && t < c.to && (c.sensor === slot.config.id || c.sensor === slot.config.type)) return c.value
    }
    return slot.driver.read(t, conds)
  }

  private grantable (slot: Slot, mode: LeaseMode, headOfQueue: boolean): boolean {
    if (!headOfQueue) return false
    return mode === 'shared' ? slot.exclusive == null : slot.exclusive == null && slot.shared === 0
  }

  private take (slot: Slot, mode: LeaseMode, holder: string): void {
    if (mode === 'shared') slot.shared++
    else slot.exclusive = holder
  }

  private pump (slot: Slot): void {
    while (slot.queue.length > 0 && this.grantable(slot, slot.queue[0].mode, true)) {
      const w = slot.queue.shift()
      if (w == null) break
      this.take(slot, w.mode, w.holder)
      w.grant()
      if (w.mode === 'exclusive') break
    }
  }

  private lease (slot: Slot, mode: LeaseMode, holder: string): SensorLease {
    let released = false
    const sensor = slot.config.id
    return {
      sensor,
      holder,
      mode,
      read: () => {
        if (released) throw new SensorAccessDeniedError(`${holder}: lease of ${sensor} was released`, holder)
        return this.sample(slot, this.now())
      },
      write: (value) => {
        if (released || mode !== 'exclusive') throw new SensorAccessDeniedError(`${holder}: writing ${sensor} needs a live exclusive lease`, holder)
        if (slot.driver.write == null) throw new SensorAccessDeniedError(`${holder}: ${sensor} is a sensor, not an actuator`, holder)
        slot.driver.write(value)
      },
      release: () => {
        if (released) return
        released = true
        if (mode === 'shared') slot.shared--
        else slot.exclusive = undefined
        this.pump(slot)
      }
    }
  }
}
