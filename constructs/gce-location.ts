/**
 * Regions, zones and CIDR ranges, checked at construction. Cluster names, DNS names and the etcd
 * member list are built from the zones at synth time, so zones are strings, not a data source.
 */
import { Token } from 'cdktf';

/** Compute Engine regions (2026). A newer region works when its zones are given explicitly. */
const KNOWN_REGIONS = new Set([
  'africa-south1', 'asia-east1', 'asia-east2', 'asia-northeast1', 'asia-northeast2', 'asia-northeast3', 'asia-south1',
  'asia-south2', 'asia-southeast1', 'asia-southeast2', 'australia-southeast1', 'australia-southeast2', 'europe-central2',
  'europe-north1', 'europe-north2', 'europe-southwest1', 'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4',
  'europe-west6', 'europe-west8', 'europe-west9', 'europe-west10', 'europe-west12', 'me-central1', 'me-central2',
  'me-west1', 'northamerica-northeast1', 'northamerica-northeast2', 'northamerica-south1', 'southamerica-east1',
  'southamerica-west1', 'us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1', 'us-west1', 'us-west2',
  'us-west3', 'us-west4',
]);

/** The regions whose zones are not -a, -b, -c. */
const ZONE_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  'us-east1': ['b', 'c', 'd'],
  'europe-west1': ['b', 'c', 'd'],
};

const REGION_FORMAT = /^[a-z]+(-[a-z]+)+[0-9]+$/;

/** Problems with `region`, given whether the caller lists the zones itself. */
export function validateRegion(region: string, zonesGiven: boolean): string[] {
  if (Token.isUnresolved(region)) return ['region must be a literal string such as "us-central1": zone names and DNS names are built from it at synth'];
  if (!REGION_FORMAT.test(region)) return [`region "${region}" is not a Compute Engine region name such as "us-central1" or "europe-west4"`];
  if (!KNOWN_REGIONS.has(region) && !zonesGiven) {
    return [`unknown region "${region}" (known: ${[...KNOWN_REGIONS].slice(0, 4).join(', ')}, ...); if it is a new region, list its zones in zones`];
  }
  return [];
}

/** Three zones of `region`: `-a`, `-b`, `-c`, or the region's own three where those differ. */
export function defaultZones(region: string): string[] {
  return (ZONE_SUFFIXES[region] ?? ['a', 'b', 'c']).map((suffix) => `${region}-${suffix}`);
}

export function validateZones(region: string, zones: readonly string[]): string[] {
  if (zones.length === 0) return ['zones must list at least one zone'];
  const problems = zones
    .filter((zone) => !new RegExp(`^${region}-[a-z]$`).test(zone))
    .map((zone) => `zone "${zone}" is not a zone of region ${region} (expected ${region}-<letter>)`);
  const duplicates = zones.filter((zone, i) => zones.indexOf(zone) !== i);
  if (duplicates.length > 0) problems.push(`zones lists ${duplicates.join(', ')} more than once`);
  return problems;
}

/** An IPv4 CIDR range with its network address, e.g. `10.10.0.0/20`, prefix /8 to /29 as VPC subnets allow. */
export function validateSubnetCidr(cidr: string, what = 'subnetCidr'): string[] {
  if (Token.isUnresolved(cidr)) return [];
  const problem = cidrProblem(cidr);
  if (problem) return [`${what} "${cidr}" ${problem}`];
  const prefix = Number(cidr.split('/')[1]);
  return prefix < 8 || prefix > 29 ? [`${what} "${cidr}" must have a prefix length from /8 to /29 (a subnetwork's range)`] : [];
}

/** Source ranges of a firewall rule. */
export function validateSourceRanges(ranges: readonly string[], what: string): string[] {
  return ranges.flatMap((range) => {
    const problem = Token.isUnresolved(range) ? undefined : cidrProblem(range);
    return problem ? [`${what}: "${range}" ${problem}`] : [];
  });
}

function cidrProblem(cidr: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return 'is not an IPv4 CIDR range such as 10.10.0.0/20';
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return 'is not an IPv4 CIDR range such as 10.10.0.0/20';
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0) {
    const network = address - (address % hostBits);
    const text = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    return `has host bits set: the range starts at ${text}/${prefix}`;
  }
  return undefined;
}

/** Whether two valid IPv4 CIDR ranges share an address (false when either is a token or invalid). */
export function cidrsOverlap(a: string, b: string): boolean {
  const range = (cidr: string): [number, number] | undefined => {
    if (Token.isUnresolved(cidr) || cidrProblem(cidr)) return undefined;
    const [address, prefix] = cidr.split('/');
    const start = address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
    return [start, start + 2 ** (32 - Number(prefix)) - 1];
  };
  const [x, y] = [range(a), range(b)];
  return x !== undefined && y !== undefined && x[0] <= y[1] && y[0] <= x[1];
}
