/**
 * @packageDocumentation
 * Geohash cells and distances shared by discovery, hazards and sim-net.
 *
 * @example
 * ```ts
 * const cell = encodeGeohash({ lat: 48.137, lon: 11.575 }, 6)
 * const around = cellAndNeighbours(cell) // own cell + 8 neighbours
 * ```
 */
export * from './geohash.js'
export * from './errors.js'
