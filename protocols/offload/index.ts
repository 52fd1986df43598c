/**
 * @packageDocumentation
 * `/ecco/offload/1.0.0`: Nimbus offloading across the mesh (decentralised 2PMT). A mobile
 * device talks to its T1 gateway peer (handshake with its requirements, offload returning the
 * candidate list, release); the gateway batches devices for its slice's stage-1 solver, which
 * places them on the slice's ENs; leftovers go to the stage-2 solver over the whole mesh. Solvers
 * are elected by every peer from the registry with one deterministic rule, and every target EN
 * confirms or refuses each reservation with `fits`, so racing solvers never overbook an EN.
 *
 * This folder holds the wire format, the election rule, the snapshot built from the registry
 * and the device client; the peer behaviour (gateway, solvers, reservation table) is node/offload.
 *
 * @example
 * ```ts
 * const client = createOffloadClient({ dialer: libp2p })
 * const { placement } = await client.offload(multiaddr(gatewayAddr), { device: 'md-1', epsT: 66.7, epsB: 2730, payloadKB: 495, localLatencyMs: 154, localEnergyMJ: 2730 })
 * if (placement.target === 'edge') await client.release(multiaddr(gatewayAddr), 'md-1', placement.en ?? '')
 * ```
 */
export * from './constants.js'
export * from './errors.js'
export {
  encodeOffloadMessage, decodeOffloadMessage, checkRequirements, requirementsToWire, requirementsFromWire, toOffloadRequest,
  placementToWire, placementFromWire, placementFromAssignment,
  type DeviceRequirements, type OffloadPlacement, type OffloadTargetKind
} from './codec.js'
export {
  sliceKey, membersFromRegistry, electSliceSolver, electStage2Solver, sliceSolvers, solverRoles,
  type SliceRule, type NimbusMember
} from './election.js'
export {
  defaultTierProfiles, defaultRttModel, tierName, modelRttMs, servedFromSummary, servedFromCount, enInfo, buildSnapshot,
  type TierProfile, type TierProfiles, type RttModel, type Located, type EnLoadSummary, type SnapshotAp, type SnapshotInit
} from './snapshot.js'
export { openOffloadChannel, send as sendOffloadMessage, receive as receiveOffloadMessage, ask as askOffload, errorMessage as offloadErrorMessage, type OffloadChannelOptions } from './rpc.js'
export { simulatedDevice, type SimulatedDeviceInit, type MobileProfileName } from './devices.js'
export { OffloadClient, createOffloadClient, type OffloadDialer, type OffloadClientComponents, type OffloadClientInit, type OffloadResult, type GatewayAddress } from './client.js'
export {
  OffloadMessage, Target as OffloadTarget, Refusal as OffloadRefusal,
  type Requirements as OffloadRequirements, type Placement as WirePlacement, type FitRequest, type Verdict as ReserveVerdict,
  type EnSummary, type AccessPoint as WireAccessPoint, type SolveItem, type Solve as WireSolve, type Solution as WireSolution,
  StoredReservation
} from './pb/offload.js'
