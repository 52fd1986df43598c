/**
 * Config sections owned by peer features (e.g. `pipelines:`, `hazards:`).
 * Each feature registers a parser for its top-level YAML key; the parser
 * validates the raw value (throwing ConfigError that names `path`) and
 * returns its typed form, stored in `PeerConfig.sections[key]`.
 */
import { parseHazardsSection } from '../hazards/config.js'
import { parseNimbusSection } from '../offload/config.js'
import { parseCheckpointsSection } from '../checkpoints/config.js'
import { parsePipelinesSection } from '../pipelines/config.js'
import { parseSecuritySection } from '../security/config.js'

export type SectionParser = (value: unknown, path: string) => unknown

export const CONFIG_SECTIONS: Record<string, SectionParser> = {
  hazards: parseHazardsSection,
  nimbus: parseNimbusSection,
  checkpoints: parseCheckpointsSection,
  pipelines: parsePipelinesSection,
  security: parseSecuritySection
}
