/**
 * Is a warning relevant to this vehicle, and how far ahead along its route is it? A
 * warning is shown when the vehicle is within its relevance distance, or when the event
 * lies on the route ahead within the look-ahead (so the driver hears of it before
 * entering the relevance area). DENM traffic directions filter by heading when both the
 * route and the event heading are known.
 */
import { distanceMetres, relevanceMetres, RelevanceTrafficDirection, type Denm, type Position } from '../../protocols/index.js'
import type { Route } from './route.js'

/** An event this close to the route is on it (lane offsets, GPS error, a parallel carriageway). */
export const ON_ROUTE_M = 100

export interface Relevance {
  relevant: boolean
  /** straight-line metres from the vehicle to the event */
  distanceM: number
  /** metres along the route to the event (negative: passed); undefined if off the route or no route */
  aheadM?: number
}

export interface VehicleView {
  position: Position
  route?: Route
  /** metres along the route where the vehicle is */
  along?: number
  lookaheadM: number
}

function headingDiff (a: number, b: number): number {
  const d = Math.abs(a - b) % 360
  return d > 180 ? 360 - d : d
}

export function relevanceOf (denm: Denm, v: VehicleView): Relevance {
  const event = denm.eventPosition ?? { lat: 0, lon: 0 }
  const radius = relevanceMetres(denm.relevanceDistance)
  const distanceM = distanceMetres(v.position, event)
  if (v.route === undefined || v.along === undefined) return { relevant: distanceM <= radius, distanceM }
  const p = v.route.project(event)
  if (p.lateral > ON_ROUTE_M) return { relevant: distanceM <= radius, distanceM }
  const aheadM = p.along - v.along
  let relevant = (aheadM >= 0 && aheadM <= Math.max(v.lookaheadM, radius)) || distanceM <= radius
  const dir = denm.relevanceTrafficDirection
  if (dir === RelevanceTrafficDirection.UPSTREAM_TRAFFIC && aheadM < 0) relevant = false
  if (dir === RelevanceTrafficDirection.DOWNSTREAM_TRAFFIC && aheadM > 0) relevant = false
  if (denm.eventHeading !== undefined && dir !== RelevanceTrafficDirection.ALL_TRAFFIC_DIRECTIONS) {
    const same = headingDiff(denm.eventHeading / 10, p.bearing) < 90
    if (dir === RelevanceTrafficDirection.OPPOSITE_TRAFFIC ? same : !same) relevant = false
  }
  return { relevant, distanceM, aheadM }
}
