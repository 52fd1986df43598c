/**
 * The `security` peer feature: reads the `security:` section (operator keys and the
 * peer's certificate default to the `hazards:` section's), loads them, and switches the
 * libp2p `security` service to that mode. It belongs first in DEFAULT_FEATURES: the
 * earlier it runs, the shorter the window in which connections are admitted unchecked
 * (the service re-checks those when it is configured).
 */
import { TrustStore, type RevocationView } from '../../protocols/index.js'
import { readBytes, readOperatorKey } from '../hazards/files.js'
import { getHazards, HAZARDS_SECTION, type HazardsConfig } from '../hazards/index.js'
import type { PeerFeature } from '../features.js'
import { counter, gauge, type MetricFamily } from '../metrics.js'
import type { EccoPeer } from '../peer.js'
import { DEFAULT_SECURITY_LIMITS, type SecurityConfig } from './config.js'
import { SECURITY_SECTION } from './constants.js'
import { SecuritySetupError } from './errors.js'
import type { SecurityService } from './service.js'

export class SecurityFeature implements PeerFeature {
  readonly name = SECURITY_SECTION
  readonly config: SecurityConfig
  private service?: SecurityService

  constructor (config: SecurityConfig) {
    this.config = config
  }

  async start (peer: EccoPeer): Promise<void> {
    const log = peer.log.child(SECURITY_SECTION)
    const service = peer.libp2p.services.security
    this.service = service
    const hazards = peer.config.sections[HAZARDS_SECTION] as HazardsConfig | undefined
    const keyFiles = this.config.operatorKeys ?? hazards?.operatorKeys ?? []
    const certFile = this.config.certificate ?? hazards?.certificate
    const at = `${SECURITY_SECTION}.operatorKeys`
    const trust = keyFiles.length === 0 ? undefined : new TrustStore({ operatorKeys: await Promise.all(keyFiles.map(async (f) => await readOperatorKey(f, at))) })
    let certificate: Uint8Array | undefined
    if (certFile !== undefined && trust !== undefined) {
      certificate = await readBytes(certFile, `${SECURITY_SECTION}.certificate`)
      const cert = await trust.verifyCertificate(certificate)
      if (cert.subjectPeerId !== peer.peerId.toString()) {
        throw new SecuritySetupError(`${SECURITY_SECTION}.certificate: ${certFile} certifies ${cert.subjectPeerId}, not this peer ${peer.peerId.toString()}`)
      }
    }
    // the hazards feature owns the revocation set and may start after us: look it up per question
    const revocations: RevocationView = { isRevoked: (id) => getHazards(peer)?.revocations?.list.isRevoked(id) ?? false }
    await service.configure({ limits: this.config, trust, certificate, revocations })
    if (this.config.mode === 'open') {
      log.warn('security mode OPEN: any peer may connect, join the DHT and publish on mesh topics; for labs only (set security.mode: permissioned)')
    } else {
      log.info('security mode permissioned', { operatorKeys: keyFiles.length, certified: certificate !== undefined, allowClients: this.config.allowClients })
    }
  }

  stop (): void {}

  routes (): Record<string, () => unknown> {
    return { '/security': () => this.service?.status() }
  }

  metrics (): MetricFamily[] {
    const s = this.service
    if (s === undefined) return []
    const c = s.membership.counts()
    const g = s.guard.stats
    return [
      gauge('ecco_security_members', 'Peers with a verified operator certificate', c.members),
      gauge('ecco_security_clients', 'Connected peers without a certificate (clients)', c.clients),
      counter('ecco_security_refused_total', 'Peers refused membership, by reason', Object.entries(s.stats.refused).map(([reason, value]) => ({ labels: { reason }, value: value ?? 0 }))),
      counter('ecco_security_gossip_rejected_total', 'Gossip messages rejected by the topic guard, by reason', Object.entries(g.rejected).map(([reason, value]) => ({ labels: { reason }, value: value ?? 0 }))),
      counter('ecco_security_gossip_ignored_total', 'Gossip messages ignored by the topic guard, by reason', Object.entries(g.ignored).map(([reason, value]) => ({ labels: { reason }, value: value ?? 0 }))),
      counter('ecco_security_validation_seconds_total', 'Time spent validating gossip messages', Number(g.validationNs) / 1e9)
    ]
  }
}

/** The feature factory for DEFAULT_FEATURES: always on, open mode unless the section says otherwise. */
export function securityFeature (peer: EccoPeer): PeerFeature {
  const config = peer.config.sections[SECURITY_SECTION] as SecurityConfig | undefined
  return new SecurityFeature(config ?? { ...DEFAULT_SECURITY_LIMITS })
}

/** The running security feature of a peer. */
export function getSecurity (peer: EccoPeer): SecurityFeature | undefined {
  const f = peer.features.get(SECURITY_SECTION)
  return f instanceof SecurityFeature ? f : undefined
}
