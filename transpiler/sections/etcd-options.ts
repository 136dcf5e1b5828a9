/**
 * The etcd option sets (ct's `Etcd2`, `Etcd3_0` ... `Etcd3_5` structs in config/types/etcd.go),
 * one per supported etcd minor version. Field order is emission order (docs/ct.md §5.12, §12 item 6):
 * flags are rendered in struct order, not YAML order.
 */
import { optionSet, type OptionSet } from './templating';

/** docs/ct.md §5.12: Etcd2 is alphabetical, unlike the 3.x sets. */
export const etcd2Options: OptionSet = optionSet('types.Etcd2', [
  'advertise_client_urls', 'ca_file', 'cert_file', 'client_cert_auth:b', 'cors', 'data_dir', 'debug:b',
  'discovery', 'discovery_fallback', 'discovery_srv', 'discovery_proxy', 'election_timeout:i', 'enable_pprof:b',
  'force_new_cluster:b', 'heartbeat_interval:i', 'initial_advertise_peer_urls', 'initial_cluster',
  'initial_cluster_state', 'initial_cluster_token', 'key_file', 'listen_client_urls', 'listen_peer_urls',
  'log_package_levels', 'max_snapshots:i', 'max_wals:i', 'name', 'peer_ca_file', 'peer_cert_file',
  'peer_key_file', 'peer_client_cert_auth:b', 'peer_trusted_ca_file', 'proxy', 'proxy_dial_timeout:i',
  'proxy_failure_wait:i', 'proxy_read_timeout:i', 'proxy_refresh_interval:i', 'proxy_write_timeout:i',
  'snapshot_count:i', 'strict_reconfig_check:b', 'trusted_ca_file', 'wal_dir',
]);

/** The 3.0 list without its tail, shared by 3.0, 3.1 and 3.2 (which inserts into it). */
const etcd30Head = [
  'name', 'data_dir', 'wal_dir', 'snapshot_count:i', 'heartbeat_interval:i', 'election_timeout:i', 'enable_pprof:b',
];
const etcd30Middle = [
  'listen_peer_urls', 'listen_client_urls', 'max_snapshots:i', 'max_wals:i', 'cors', 'initial_advertise_peer_urls',
  'initial_cluster', 'initial_cluster_state', 'initial_cluster_token', 'advertise_client_urls', 'discovery',
  'discovery_srv', 'discovery_fallback', 'discovery_proxy', 'strict_reconfig_check:b', 'auto_compaction_retention:i',
  'proxy', 'proxy_failure_wait:i', 'proxy_refresh_interval:i', 'proxy_dial_timeout:i', 'proxy_write_timeout:i',
  'proxy_read_timeout:i', 'ca_file', 'cert_file', 'key_file', 'client_cert_auth:b', 'trusted_ca_file', 'auto_tls:b',
  'peer_ca_file', 'peer_cert_file', 'peer_key_file', 'peer_client_cert_auth:b', 'peer_trusted_ca_file',
  'peer_auto_tls:b',
];
const etcd30Tail = ['debug:b', 'log_package_levels', 'force_new_cluster:b'];

export const etcd30Options: OptionSet = optionSet('types.Etcd3_0', [...etcd30Head, ...etcd30Middle, ...etcd30Tail]);

export const etcd31Options: OptionSet = optionSet('types.Etcd3_1', [
  ...etcd30Head, ...etcd30Middle, ...etcd30Tail, 'metrics', 'log_output',
]);

/** docs/ct.md §5.12: 3.1 plus enable_v2 after enable_pprof and auth_token after peer_auto_tls. */
export const etcd32Options: OptionSet = optionSet('types.Etcd3_2', [
  ...etcd30Head, 'enable_v2:b', ...etcd30Middle, 'auth_token', ...etcd30Tail, 'metrics', 'log_output',
]);

/** docs/ct.md §5.12: auto_compaction_retention becomes a string from 3.3 on. */
export const etcd33Options: OptionSet = optionSet('types.Etcd3_3', [
  'name', 'data_dir', 'wal_dir', 'snapshot_count:i', 'heartbeat_interval:i', 'election_timeout:i', 'enable_pprof:b',
  'enable_v2:b', 'listen_peer_urls', 'listen_client_urls', 'max_snapshots:i', 'max_wals:i', 'cors',
  'quota_backend_bytes:i', 'max_txn_ops:i', 'max_request_bytes:i', 'grpc_keepalive_min_time',
  'grpc_keepalive_interval', 'grpc_keepalive_timeout', 'initial_advertise_peer_urls', 'initial_cluster',
  'initial_cluster_state', 'initial_cluster_token', 'advertise_client_urls', 'discovery', 'discovery_srv',
  'discovery_fallback', 'discovery_proxy', 'strict_reconfig_check:b', 'auto_compaction_retention',
  'auto_compaction_mode', 'proxy', 'proxy_failure_wait:i', 'proxy_refresh_interval:i', 'proxy_dial_timeout:i',
  'proxy_write_timeout:i', 'proxy_read_timeout:i', 'ca_file', 'cert_file', 'key_file', 'client_cert_auth:b',
  'client_crl_file', 'trusted_ca_file', 'auto_tls:b', 'peer_ca_file', 'peer_cert_file', 'peer_key_file',
  'peer_client_cert_auth:b', 'peer_crl_file', 'peer_trusted_ca_file', 'peer_auto_tls:b', 'peer_cert_allowed_cn',
  'auth_token', 'debug:b', 'log_package_levels', 'force_new_cluster:b', 'metrics', 'log_output',
  'listen_metrics_urls', 'experimental_initial_corrupt_check:b', 'experimental_corrupt_check_time',
  'experimental_enable_v2v3',
]);

/** Flatcar only (docs/ct.md §5.12); it has no ca_file or peer_ca_file. */
export const etcd34Options: OptionSet = optionSet('types.Etcd3_4', [
  'name', 'data_dir', 'wal_dir', 'snapshot_count:i', 'heartbeat_interval:i', 'election_timeout:i',
  'initial_election_tick_advance:b', 'listen_peer_urls', 'listen_client_urls', 'max_snapshots:i', 'max_wals:i',
  'quota_backend_bytes:i', 'backend_batch_interval', 'backend_batch_limit:i', 'max_txn_ops:i',
  'max_request_bytes:i', 'grpc_keepalive_min_time', 'grpc_keepalive_interval', 'grpc_keepalive_timeout',
  'initial_advertise_peer_urls', 'initial_cluster', 'initial_cluster_state', 'initial_cluster_token',
  'advertise_client_urls', 'discovery', 'discovery_fallback', 'discovery_proxy', 'discovery_srv',
  'discovery_srv_name', 'strict_reconfig_check:b', 'pre_vote:b', 'auto_compaction_retention', 'auto_compaction_mode',
  'enable_v2:b', 'cert_file', 'key_file', 'client_cert_auth:b', 'client_crl_file', 'client_cert_allowed_hostname',
  'trusted_ca_file', 'auto_tls:b', 'peer_cert_file', 'peer_key_file', 'peer_client_cert_auth:b',
  'peer_trusted_ca_file', 'peer_cert_allowed_cn', 'peer_cert_allowed_hostname', 'peer_auto_tls:b', 'peer_crl_file',
  'cipher_suites', 'cors', 'host_whitelist', 'auth_token', 'bcrypt_cost:i', 'auth_token_ttl:i', 'enable_pprof:b',
  'metrics', 'listen_metrics_urls', 'logger', 'log_outputs', 'log_level', 'proxy', 'proxy_failure_wait:i',
  'proxy_refresh_interval:i', 'proxy_dial_timeout:i', 'proxy_write_timeout:i', 'proxy_read_timeout:i',
  'experimental_initial_corrupt_check:b', 'experimental_corrupt_check_time', 'experimental_enable_v2v3',
  'experimental_backend_bbolt_freelist_type', 'experimental_enable_lease_checkpoint:b',
  'experimental_compaction_batch_limit:i', 'experimental_watch_progress_notify_interval',
  'experimental_warning_apply_duration', 'force_new_cluster:b', 'debug:b', 'log_package_levels',
]);

/** Flatcar only, and Flatcar's default set (docs/ct.md §5.12, §11). */
export const etcd35Options: OptionSet = optionSet('types.Etcd3_5', [
  'name', 'data_dir', 'wal_dir', 'snapshot_count:i', 'heartbeat_interval:i', 'election_timeout:i',
  'initial_election_tick_advance:b', 'listen_peer_urls', 'listen_client_urls', 'max_snapshots:i', 'max_wals:i',
  'quota_backend_bytes:i', 'backend_bbolt_freelist_type', 'backend_batch_interval', 'backend_batch_limit:i',
  'max_txn_ops:i', 'max_request_bytes:i', 'grpc_keepalive_min_time', 'grpc_keepalive_interval',
  'grpc_keepalive_timeout', 'socket_reuse_port:b', 'socket_reuse_address:b', 'initial_advertise_peer_urls',
  'initial_cluster', 'initial_cluster_state', 'initial_cluster_token', 'advertise_client_urls', 'discovery',
  'discovery_fallback', 'discovery_proxy', 'discovery_srv', 'discovery_srv_name', 'strict_reconfig_check:b',
  'pre_vote:b', 'auto_compaction_retention', 'auto_compaction_mode', 'enable_v2:b', 'v2_deprecation', 'cert_file',
  'key_file', 'client_cert_auth:b', 'client_crl_file', 'client_cert_allowed_hostname', 'trusted_ca_file',
  'auto_tls:b', 'peer_cert_file', 'peer_key_file', 'peer_client_cert_auth:b', 'peer_trusted_ca_file',
  'peer_cert_allowed_cn', 'peer_cert_allowed_hostname', 'peer_auto_tls:b', 'self_signed_cert_validity:i',
  'peer_crl_file', 'cipher_suites', 'cors', 'host_whitelist', 'auth_token', 'bcrypt_cost:i', 'auth_token_ttl:i',
  'enable_pprof:b', 'metrics', 'listen_metrics_urls', 'logger', 'log_outputs', 'log_level', 'enable_log_rotation:b',
  'log_rotation_config_json', 'experimental_enable_distributed_tracing:b',
  'experimental_distributed_tracing_address', 'experimental_distributed_tracing_service_name',
  'experimental_distributed_tracing_instance_id', 'proxy', 'proxy_failure_wait:i', 'proxy_refresh_interval:i',
  'proxy_dial_timeout:i', 'proxy_write_timeout:i', 'proxy_read_timeout:i', 'experimental_initial_corrupt_check:b',
  'experimental_corrupt_check_time', 'experimental_enable_v2v3', 'experimental_enable_lease_checkpoint:b',
  'experimental_compaction_batch_limit:i', 'experimental_watch_progress_notify_interval',
  'experimental_warning_apply_duration', 'experimental_txn_mode_write_with_shared_buffer:b', 'force_new_cluster:b',
  'unsafe_no_fsync:b',
]);
