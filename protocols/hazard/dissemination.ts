/**
 * Where a warning goes: the topic of every geohash-5 cell within the relevance distance
 * of the event, so a vehicle subscribed to the cells around its position and route ahead
 * receives it before it enters the relevance area.
 */
import { cellsWithin, type Position } from '../geo/index.js'
import { HAZARD_CELL_PRECISION, HAZARD_TOPIC_PREFIX, PARKING_TOPIC_PREFIX } from './constants.js'
import { relevanceMetres } from './denm.js'
import type { Denm } from './pb/hazard.js'

export function hazardTopic (cell: string): string {
  return HAZARD_TOPIC_PREFIX + cell
}

export function parkingTopic (cell: string): string {
  return PARKING_TOPIC_PREFIX + cell
}

/** The cell of a hazard or parking topic, undefined for any other topic. */
export function cellOfTopic (topic: string): string | undefined {
  for (const prefix of [HAZARD_TOPIC_PREFIX, PARKING_TOPIC_PREFIX]) {
    if (topic.startsWith(prefix)) {
      const cell = topic.slice(prefix.length)
      return /^[0-9b-hjkmnp-z]+$/.test(cell) && cell.length === HAZARD_CELL_PRECISION ? cell : undefined
    }
  }
  return undefined
}

export function isHazardTopic (topic: string): boolean {
  return topic.startsWith(HAZARD_TOPIC_PREFIX) && cellOfTopic(topic) !== undefined
}

export function isParkingTopic (topic: string): boolean {
  return topic.startsWith(PARKING_TOPIC_PREFIX) && cellOfTopic(topic) !== undefined
}

/** Cells (precision 5) within `radiusM` of `position`. */
export function hazardCellsAround (position: Position, radiusM: number): string[] {
  return cellsWithin(position, radiusM, HAZARD_CELL_PRECISION)
}

/** Every cell a warning is published on. */
export function disseminationCells (denm: Denm): string[] {
  if (denm.eventPosition === undefined) return []
  return hazardCellsAround(denm.eventPosition, relevanceMetres(denm.relevanceDistance))
}
