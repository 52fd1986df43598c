/**
 * sim-net's SimPipelineSubmitter: reads a descriptor file (image hashes
 * pinned from the EF catalogue), signs it with the run's issuer key, which
 * every sim peer trusts, and submits it through the named peer's pipelines
 * feature, as `ecco-peer pipeline submit` would over the control protocol.
 */
import { signDescriptor } from '../../protocols/index.js'
import type { SimPeerHandle, SimPipelineSubmitter } from '../../sim-net/index.js'
import { loadDescriptor } from '../cli/pipeline.js'
import type { PipelinesFeature } from '../pipelines/index.js'
import { SimPeerMissingError } from './errors.js'
import type { SimNodeState } from './state.js'

export interface SimPipelineSubmitterInit {
  state: SimNodeState
  /** EF catalogue to pin image hashes from @default the build's dist/unikernels/images */
  catalogueDir?: string
}

export function createSimPipelineSubmitter (init: SimPipelineSubmitterInit): SimPipelineSubmitter {
  return {
    submit: async (via: SimPeerHandle, file: string) => {
      const peer = init.state.peer(via.name)
      const pipelines = peer.features.get('pipelines') as PipelinesFeature | undefined
      if (pipelines === undefined) throw new SimPeerMissingError(`peer "${via.name}" runs no pipelines feature (node/sim's roadside peers do)`)
      const trust = await init.state.trust.forDataDir(peer.config.dataDir)
      const descriptor = await loadDescriptor(file, init.catalogueDir)
      const signed = await signDescriptor(descriptor, trust.issuer)
      init.state.submitted.set(descriptor.id, Date.now())
      const accepted = await pipelines.submit(signed)
      return { id: accepted.id }
    }
  }
}
