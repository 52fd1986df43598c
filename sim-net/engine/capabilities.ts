/**
 * Before anything starts: every capability the scenario needs must be
 * provided by the factories, or the run fails loudly instead of quietly
 * skipping vehicles, pipelines or conditions.
 */
import { access } from 'node:fs/promises'
import { CapabilityMissingError, ScenarioError } from '../errors.js'
import { CAPABILITY } from '../scenario/schema.js'
import type { Scenario } from '../scenario/schema.js'
import type { SimFactories } from '../types.js'

export interface CapabilityOptions extends SimFactories {
  /** extra capability names the factories provide (matched against `requires:`) */
  capabilities?: readonly string[]
}

/** The capability names these factories provide. */
export function providedCapabilities (f: CapabilityOptions): Set<string> {
  const out = new Set<string>(['peers', ...(f.capabilities ?? [])])
  if (f.vehicles !== undefined) out.add(CAPABILITY.vehicles)
  if (f.pipelines !== undefined) out.add(CAPABILITY.pipelines)
  if (f.sensors !== undefined) out.add(CAPABILITY.sensors)
  for (const w of Object.keys(f.workloads ?? {})) out.add(`workload/${w}`)
  return out
}

/** The capability names a scenario needs, from its sections and its `requires:` list. */
export function requiredCapabilities (s: Scenario): string[] {
  const need = new Set<string>(s.requires)
  if (s.vehicles.length > 0) need.add(CAPABILITY.vehicles)
  if (s.pipelines.length > 0) need.add(CAPABILITY.pipelines)
  if (s.events.some(e => e.type === 'condition')) need.add(CAPABILITY.sensors)
  for (const w of s.workloads) need.add(`workload/${w.type}`)
  return [...need]
}

/** Throws CapabilityMissingError for the first missing capability, ScenarioError for a missing pipeline file. */
export async function checkCapabilities (s: Scenario, f: CapabilityOptions): Promise<void> {
  const have = providedCapabilities(f)
  for (const c of requiredCapabilities(s)) {
    if (!have.has(c)) throw new CapabilityMissingError(c, `capability ${c} not available: scenario "${s.name}" needs it (the factories provide: ${[...have].sort().join(', ')})`)
  }
  for (const [i, p] of s.pipelines.entries()) {
    try {
      await access(p.file)
    } catch {
      throw new ScenarioError(`pipelines[${i}].file: file not found: ${p.file}`, `pipelines[${i}].file`)
    }
  }
}
