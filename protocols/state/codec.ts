import { checkVersion, decodeMessage } from '../wire/index.js'
import { MAX_ANNOUNCEMENT_BYTES, MAX_PEER_STATE_BYTES, PEER_STATE_LIMITS, STATE_VERSION } from './constants.js'
import { PeerState, StateAnnouncement } from './pb/state.js'

export function decodePeerState (bytes: Uint8Array): PeerState {
  const s = decodeMessage(PeerState, bytes, 'PeerState', { maxBytes: MAX_PEER_STATE_BYTES, limits: PEER_STATE_LIMITS })
  checkVersion('PeerState', s.version, STATE_VERSION)
  return s
}

export function decodeAnnouncement (bytes: Uint8Array): StateAnnouncement {
  const a = decodeMessage(StateAnnouncement, bytes, 'StateAnnouncement', { maxBytes: MAX_ANNOUNCEMENT_BYTES })
  checkVersion('StateAnnouncement', a.version, STATE_VERSION)
  return a
}
