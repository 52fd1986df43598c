/**
 * Gossipsub v1.1 peer scoring for a small, low-churn fleet of roadside peers. Warnings
 * are rare, so the mesh-delivery terms (P3, P3b) that punish quiet peers are off; what
 * matters is P4: every message a validator rejects costs its sender quadratically and
 * decays slowly, so a forger drops below the graylist threshold after a handful of
 * forgeries and stays there for minutes. Certified members get a small P5 bonus.
 */
import type { PeerScoreParams, PeerScoreThresholds, TopicScoreParams } from '@chainsafe/libp2p-gossipsub/score'

/** Invalid messages to fall from a neutral score below the graylist threshold: sqrt(80 / 10) ~ 3. */
const INVALID_WEIGHT = -10

export const ECCO_SCORE_THRESHOLDS: PeerScoreThresholds = {
  // below: no gossip (IHAVE/IWANT) exchanged with the peer
  gossipThreshold: -10,
  // below: we do not publish to it
  publishThreshold: -50,
  // below: its RPCs are ignored altogether
  graylistThreshold: -80,
  // peer exchange only from well-behaved certified members
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 1
}

export function topicScoreParams (): TopicScoreParams {
  return {
    topicWeight: 1,
    // P1: a little credit for staying in the mesh (capped at +1)
    timeInMeshWeight: 0.01,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 100,
    // P2: first deliveries of valid messages (capped at +5)
    firstMessageDeliveriesWeight: 0.5,
    firstMessageDeliveriesDecay: 0.9,
    firstMessageDeliveriesCap: 10,
    // P3/P3b off: rare warnings must not make honest quiet peers look bad
    meshMessageDeliveriesWeight: 0,
    meshMessageDeliveriesDecay: 0.5,
    meshMessageDeliveriesCap: 100,
    meshMessageDeliveriesThreshold: 1,
    meshMessageDeliveriesWindow: 10,
    meshMessageDeliveriesActivation: 5000,
    meshFailurePenaltyWeight: 0,
    meshFailurePenaltyDecay: 0.5,
    // P4: invalid messages, half-life about a minute (decay per 1 s interval)
    invalidMessageDeliveriesWeight: INVALID_WEIGHT,
    invalidMessageDeliveriesDecay: 0.99
  }
}

export interface ScoreParamsInit {
  /** P5: application score of a peer (the security service: 1 for certified members) */
  appSpecificScore: (peerId: string) => number
  /** P6 exemption: addresses that legitimately host many peers (loopback in tests) */
  ipColocationWhitelist?: Iterable<string>
}

export function eccoScoreParams (init: ScoreParamsInit): Partial<PeerScoreParams> {
  return {
    // topics are added as the peer meets them (the security service's topic guard)
    topics: {},
    topicScoreCap: 10,
    appSpecificScore: init.appSpecificScore,
    appSpecificWeight: 1,
    // a roadside cabinet may host a few peers; more than 5 on one IP is suspect
    IPColocationFactorWeight: -5,
    IPColocationFactorThreshold: 5,
    IPColocationFactorWhitelist: new Set(init.ipColocationWhitelist ?? []),
    behaviourPenaltyWeight: -1,
    behaviourPenaltyThreshold: 2,
    behaviourPenaltyDecay: 0.9,
    decayInterval: 1000,
    decayToZero: 0.01,
    retainScore: 10 * 60_000
  }
}
