/**
 * Everything sim-net can drive, built from the capabilities that exist in
 * this build. A capability that is absent stays undefined, so scenarios that
 * need it fail loudly instead of being faked.
 */
import type { SimNetFactories } from '../../sim-net/index.js'
import { createSimPeerFactory } from './peer-factory.js'

export function simFactories (): SimNetFactories {
  return { peers: createSimPeerFactory() }
}
