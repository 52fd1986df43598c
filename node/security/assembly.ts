/**
 * The parts of the security layer that must exist before libp2p is created: the
 * connection gater, the membership the score function reads, the gossipsub options and
 * the service factory. `createEccoLibp2p` builds one per node.
 */
import type { ConnectionGater } from '@libp2p/interface'
import type { PeerScoreParams, PeerScoreThresholds } from '@chainsafe/libp2p-gossipsub/score'
import { MAX_GOSSIP_RPC_BYTES } from './constants.js'
import { SecurityGater } from './gater.js'
import { Membership } from './membership.js'
import { ECCO_SCORE_THRESHOLDS, eccoScoreParams } from './score.js'
import { SecurityService, type SecurityComponents } from './service.js'

export interface SecurityAssembly {
  gater: SecurityGater
  membership: Membership
  gossipsub: { scoreParams: Partial<PeerScoreParams>, scoreThresholds?: PeerScoreThresholds, maxInboundDataLength: number }
  service: (components: SecurityComponents) => SecurityService
}

export interface SecurityAssemblyInit {
  /** the deployment's or a test's gater, consulted first */
  gater?: ConnectionGater
  /** P6 exemption @default loopback */
  ipColocationWhitelist?: string[]
  /**
   * Tuned peer scoring (permissioned mode). Open mode keeps gossipsub's defaults: the tuned
   * P4/P7 weights graylisted honest peers of a busy one-process mesh (bench:mesh at 20 peers
   * stopped converging), and in a lab there is no membership to score against.
   * @default true
   */
  scoring?: boolean
}

export function securityAssembly (init: SecurityAssemblyInit = {}): SecurityAssembly {
  const membership = new Membership()
  const gater = new SecurityGater(init.gater ?? {})
  // loopback is one machine running many peers on purpose
  const ipColocationWhitelist = init.ipColocationWhitelist ?? ['127.0.0.1', '::1']
  return {
    gater,
    membership,
    gossipsub: init.scoring === false
      ? { scoreParams: { IPColocationFactorWhitelist: new Set(ipColocationWhitelist) }, maxInboundDataLength: MAX_GOSSIP_RPC_BYTES }
      : {
          scoreParams: eccoScoreParams({ appSpecificScore: (peer) => membership.isMember(peer) ? 1 : 0, ipColocationWhitelist }),
          scoreThresholds: ECCO_SCORE_THRESHOLDS,
          maxInboundDataLength: MAX_GOSSIP_RPC_BYTES
        },
    service: (components) => new SecurityService(components, { gater, membership })
  }
}
