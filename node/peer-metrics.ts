import type { EccoPeer } from './peer.js'
import { counter, gauge, type MetricFamily } from './metrics.js'

/** Everything /metrics shows, read from the counters the services keep. */
export function collectPeerMetrics (peer: EccoPeer, startedAt: number): MetricFamily[] {
  const { state, sync, discovery, pubsub } = peer.libp2p.services
  const members = state.registry.keys().length
  const live = state.livePeers().length
  return [
    gauge('ecco_peers_connected', 'Open libp2p connections to distinct peers', new Set(peer.libp2p.getConnections().map((c) => c.remotePeer.toString())).size),
    gauge('ecco_registry_peers', 'Registry entries by liveness', [
      { labels: { state: 'live' }, value: live },
      { labels: { state: 'gone' }, value: members - live }
    ]),
    gauge('ecco_neighbours', 'Neighbours found by cell discovery', discovery.getNeighbours().length),
    gauge('ecco_gossip_topics', 'Subscribed gossip topics', pubsub.getTopics().length),
    counter('ecco_messages_in_total', 'Gossip messages received on any topic', peer.traffic.messagesIn),
    counter('ecco_messages_out_total', 'Gossip messages published, by protocol', [
      { labels: { protocol: 'state' }, value: state.stats.announcementsOut }
    ]),
    counter('ecco_bad_messages_dropped_total', 'Malformed, oversized or invalid messages dropped, by protocol', [
      { labels: { protocol: 'state' }, value: state.stats.invalidMessages },
      { labels: { protocol: 'sync' }, value: sync.stats.invalidMessages },
      { labels: { protocol: 'discovery' }, value: discovery.stats.invalidMessages }
    ]),
    counter('ecco_dht_queries_total', 'DHT provide and find-providers queries started', discovery.stats.dhtQueries),
    counter('ecco_dht_query_errors_total', 'DHT queries that failed', discovery.stats.dhtQueryErrors),
    counter('ecco_dht_provides_total', 'Provides of the own cell started: the first, then on a move, a grown network or a refresh', discovery.stats.provides),
    counter('ecco_discovery_rounds_total', 'Neighbour discovery rounds: the 3x3 block, or the own cell only as a safety net', [
      { labels: { kind: 'block' }, value: discovery.stats.rounds - discovery.stats.safetyNetRounds },
      { labels: { kind: 'safety-net' }, value: discovery.stats.safetyNetRounds }
    ]),
    counter('ecco_connections_pruned_total', 'Connections the budget closed: surplus ones nothing needed, and duplicates to one peer', [
      { labels: { reason: 'budget' }, value: discovery.budgetStats?.pruned ?? 0 },
      { labels: { reason: 'duplicate' }, value: discovery.budgetStats?.duplicates ?? 0 }
    ]),
    counter('ecco_gossip_rounds_total', 'State gossip heartbeat rounds', state.stats.heartbeats),
    counter('ecco_beat_vectors_total', 'Beat vectors on the liveness streams', [
      { labels: { direction: 'in' }, value: state.stats.beats.vectorsIn },
      { labels: { direction: 'out' }, value: state.stats.beats.vectorsOut }
    ]),
    counter('ecco_beat_entries_total', 'Peers named in beat vectors: changes and refreshes, not the fleet each time', [
      { labels: { direction: 'in' }, value: state.stats.beats.entriesIn },
      { labels: { direction: 'out' }, value: state.stats.beats.entriesOut }
    ]),
    counter('ecco_beat_idle_timeouts_total', 'Liveness streams dropped for silence', state.stats.beats.idleTimeouts),
    counter('ecco_liveness_suspicions_total', 'Members this peer suspected, by cause: its last stream from them ended, or it fell silent on one', [
      { labels: { cause: 'stream-ended' }, value: state.stats.beats.suspicions - state.stats.beats.silentSuspicions },
      { labels: { cause: 'silent' }, value: state.stats.beats.silentSuspicions }
    ]),
    counter('ecco_liveness_refutations_total', 'Suspicions of live members withdrawn here because the suspect beat again', state.stats.beats.refutations),
    counter('ecco_registry_gone_total', 'Live members declared gone (a live peer counted here was a false alarm)', state.stats.peersGone),
    counter('ecco_heartbeat_stalled_seconds_total', 'Time heartbeats came late (event loop stalls); liveness deadlines are extended by it', state.stats.stalledMs / 1000),
    counter('ecco_sync_exchanges_total', 'Completed anti-entropy exchanges', sync.stats.exchanges),
    counter('ecco_sync_failures_total', 'Anti-entropy exchanges that failed', sync.stats.failures),
    counter('ecco_sync_bytes_total', 'Anti-entropy bytes', [
      { labels: { direction: 'in' }, value: sync.stats.bytesIn },
      { labels: { direction: 'out' }, value: sync.stats.bytesOut }
    ]),
    gauge('ecco_uptime_seconds', 'Seconds since the peer started', Math.round((Date.now() - startedAt) / 1000)),
    gauge('process_resident_memory_bytes', 'Resident memory of the process', process.memoryUsage.rss())
  ]
}
