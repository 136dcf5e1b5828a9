/**
 * Test helper: runs etcd members as local processes on loopback addresses, each with the flags
 * systemd would have given it. The members' DNS names resolve to their loopback addresses through
 * an /etc/hosts that is bind-mounted in a private mount namespace per process (the real file is
 * never touched), and each member's TLS directory is bind-mounted read-only where etcd-wrapper
 * mounts it; where mount namespaces are not available, names and mounted paths are rewritten in
 * the flags instead (`hostMapping: 'rewrite'`). etcdctl and other clients run the same way.
 */
import { spawn, spawnSync, execFile, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import * as tls from 'node:tls';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flagValue, withFlag } from './etcd-member';

export const ETCD_BINARY = '/usr/bin/etcd';
export const ETCDCTL_BINARY = '/usr/bin/etcdctl';

/** Why etcd cannot run here, or undefined when it can. */
export function etcdUnavailable(): string | undefined {
  for (const binary of [ETCD_BINARY, ETCDCTL_BINARY]) {
    try {
      accessSync(binary, constants.X_OK);
    } catch {
      return `${binary} not found or not executable (apt-get install etcd-server etcd-client)`;
    }
  }
  return undefined;
}

const LISTEN_FLAGS = ['listen-client-urls', 'listen-peer-urls', 'listen-metrics-urls'];

/** A `--listen-*-urls` flag with wildcard hosts (0.0.0.0, [::]) bound to `ip` instead. */
export function bindWildcardTo(arg: string, ip: string): string {
  const flag = LISTEN_FLAGS.find((f) => arg.startsWith(`--${f}=`));
  if (!flag) return arg;
  return arg.replace(/(^|[=,])(https?|unix|unixs):\/\/(0\.0\.0\.0|\[::\])(?=[:/,]|$)/g, (_m, sep: string, scheme: string) => `${sep}${scheme}://${ip}`);
}

/** `hosts`: DNS names in a private /etc/hosts; `rewrite`: DNS names replaced in the flags. */
export type HostMapping = 'hosts' | 'rewrite';

/** Mount namespaces with read-only bind mounts work here (root, unshare allowed, /etc/ssl/certs there). */
export function canMapHosts(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind /etc/hosts /etc/hosts && mount --bind -o ro /etc/ssl/certs /etc/ssl/certs'], {
    timeout: 5000,
  });
  return probe.status === 0;
}

/**
 * How this host maps names: `hosts` where it can, else `rewrite`. ETCD_TEST_HOST_MAPPING=rewrite
 * forces the fallback, to try it on a host that has namespaces.
 */
export function hostMappingHere(): HostMapping {
  return process.env.ETCD_TEST_HOST_MAPPING === 'rewrite' || !canMapHosts() ? 'rewrite' : 'hosts';
}

/** A local directory seen at `target` by the process (read-only bind mount), as a node would have it there. */
export interface ReadOnlyMount {
  readonly source: string;
  readonly target: string;
}

export interface LocalMember {
  readonly name: string;
  /** Its loopback address. */
  readonly ip: string;
  /** etcd's arguments as systemd would pass them. */
  readonly args: readonly string[];
  /** What etcd-wrapper would mount into its container (the TLS directory). */
  readonly mounts?: readonly ReadOnlyMount[];
  /** etcd's environment beyond PATH and HOME, as etcd-wrapper hands it the service's (ETCD_*). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Local files etcdctl presents by default (--cacert, --cert, --key). */
export interface ClientFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** A finished command: exit status (null on a signal) and output. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `target/...` -> `source/...` in a word (the rewrite mode's stand-in for a mount). */
export function rewriteMounted(word: string, mounts: readonly ReadOnlyMount[]): string {
  let out = word;
  for (const m of mounts) out = out.split(`${m.target}/`).join(`${m.source}/`);
  return out;
}

interface Running {
  readonly member: LocalMember;
  readonly args: readonly string[];
  readonly child: ChildProcess;
  readonly output: string[];
  exit?: string;
  /** Stopped on purpose (kill, or an exit the test waited for): not expected to be healthy. */
  stopped?: boolean;
}

/** One row of `etcdctl member list`: IDs in hex, as etcdctl prints them. */
export interface ListedMember {
  readonly id: string;
  readonly started: boolean;
  readonly name: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs: readonly string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Three (or more) etcd processes and what they were started with. */
export class LocalCluster {
  private constructor(
    private readonly dir: string,
    private readonly hostsFile: string,
    private readonly running: Running[],
    readonly hostMapping: HostMapping,
    private readonly names: ReadonlyMap<string, string>,
    private readonly client?: ClientFiles,
  ) {}

  /**
   * Starts one member per machine with its args and mounts, mapping each DNS name to its loopback
   * IP as `hostMapping` says; `otherHosts` are more names the members resolve (machines that are no member).
   */
  static startMachines(
    machines: readonly { name: string; dnsName: string; ip: string }[],
    memberOf: (index: number) => { args: readonly string[]; mounts?: readonly ReadOnlyMount[] },
    options: { hostMapping: HostMapping; client?: ClientFiles; otherHosts?: ReadonlyMap<string, string> },
  ): LocalCluster {
    return LocalCluster.start(
      machines.map((m, i) => ({ name: m.name, ip: m.ip, ...memberOf(i) })),
      new Map([...machines.map((m): [string, string] => [m.dnsName, m.ip]), ...(options.otherHosts ?? [])]),
      options.hostMapping,
      options.client,
    );
  }

  /**
   * Starts every member. `names` maps DNS names to loopback addresses. The changes to a member's
   * flags: `--data-dir` moves into a temp dir (the configs' own /var/lib/etcd would
   * be one directory shared by all members on this one host, and the host's own; without the flag
   * etcd uses `<name>.etcd` in its working directory, the member's temp dir); a wildcard
   * listen address (0.0.0.0, [::]) becomes the member's own address, since on one shared host the
   * first member would take the port on every address; and, where hostMapping is `rewrite`, the
   * DNS names become the addresses and mounted paths the local ones. `client` is what etcdctl()
   * presents.
   */
  static start(members: readonly LocalMember[], names: ReadonlyMap<string, string>, hostMapping: HostMapping, client?: ClientFiles): LocalCluster {
    for (const member of members) {
      if (!/^127\.\d+\.\d+\.\d+$/.test(member.ip)) throw new Error(`${member.name}: ${member.ip} is not a loopback address`);
    }
    for (const ip of names.values()) if (!ip.startsWith('127.')) throw new Error(`${ip} is not a loopback address`);
    const dir = mkdtempSync(path.join(tmpdir(), 'etcd-cluster-'));
    const hostsFile = path.join(dir, 'hosts');
    writeFileSync(hostsFile, `127.0.0.1\tlocalhost\n${[...names].map(([name, ip]) => `${ip}\t${name}\n`).join('')}`);
    const cluster = new LocalCluster(dir, hostsFile, [], hostMapping, names, client);
    try {
      for (const member of members) cluster.running.push(cluster.spawnMember(member));
    } catch (error) {
      cluster.killNow();
      throw error;
    }
    return cluster;
  }

  /** The member's own directory: its working directory, holding its data dir. */
  private memberDir(name: string): string {
    return path.join(this.dir, name);
  }

  /** Starts one more member (a machine that boots later than the others). */
  startMember(member: LocalMember): void {
    if (this.running.some((r) => r.member.name === member.name)) throw new Error(`${member.name} was started already: use restart`);
    this.running.push(this.spawnMember(member));
  }

  /** The member's data dir (where `--data-dir` points, else etcd's default `<name>.etcd`), as /var/lib/etcd on its node. */
  dataDirOf(name: string): string {
    const args = this.entry(name).args;
    return path.join(this.memberDir(name), flagValue(args, 'data-dir') !== undefined ? 'data' : `${flagValue(args, 'name') ?? 'default'}.etcd`);
  }

  private spawnMember(member: LocalMember): Running {
    const memberDir = this.memberDir(member.name);
    mkdirSync(memberDir, { recursive: true });
    let args = [...member.args];
    if (flagValue(args, 'data-dir') !== undefined) args = withFlag(args, 'data-dir', path.join(memberDir, 'data'));
    args = args.map((arg) => bindWildcardTo(arg, member.ip));
    if (this.hostMapping === 'rewrite') args = args.map((arg) => rewriteMounted(this.mapNames(arg), member.mounts ?? []));
    const command = this.command([ETCD_BINARY, ...args], member.mounts ?? []);
    // Its own process group, so that stop() reaches etcd whatever wraps it; no inherited ETCD_*.
    const child = spawn(command[0], command.slice(1), {
      cwd: memberDir,
      env: { ...member.env, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: memberDir },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry: Running = { member, args, child, output: [] };
    const keep = (chunk: Buffer) => {
      entry.output.push(chunk.toString('utf8'));
      if (entry.output.length > 400) entry.output.splice(0, entry.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => (entry.exit = signal ? `signal ${signal}` : `exit ${code}`));
    child.on('error', (error) => (entry.exit = `spawn error: ${error.message}`));
    return entry;
  }

  /**
   * argv as run here: in `hosts` mode inside a private mount namespace with the members' /etc/hosts
   * and the read-only `mounts`; in `rewrite` mode as is (the caller has rewritten it).
   */
  private command(argv: readonly string[], mounts: readonly ReadOnlyMount[]): string[] {
    if (this.hostMapping === 'rewrite') return [...argv];
    const script = 'mount --bind "$1" /etc/hosts || exit 1; shift; while [ "$1" != -- ]; do mount --bind -o ro "$1" "$2" || exit 1; shift 2; done; shift; exec "$@"';
    return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', this.hostsFile, ...mounts.flatMap((m) => [m.source, m.target]), '--', ...argv];
  }

  /**
   * Runs a client as on a node: `env` is its whole environment (PATH added), `mounts` what the
   * node has at those paths; the members' DNS names resolve. In `rewrite` mode names and mounted
   * paths in argv and env are rewritten instead. Never rejects on a failed command.
   */
  run(argv: readonly string[], options: { env?: Readonly<Record<string, string>>; mounts?: readonly ReadOnlyMount[]; timeoutMs?: number } = {}): Promise<RunResult> {
    const mounts = options.mounts ?? [];
    const rewrite = (word: string) => (this.hostMapping === 'rewrite' ? rewriteMounted(this.mapNames(word), mounts) : word);
    const env = Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, rewrite(v)]));
    const [file, ...args] = this.command(argv.map(rewrite), mounts);
    return new Promise((resolve) => {
      execFile(
        file,
        args,
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: options.timeoutMs ?? 10_000, encoding: 'utf8' },
        (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  }

  /** Resolves the members' DNS names to their loopback addresses, for Node's own clients (`lookup` of http/https/tls). */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const ip = this.names.get(hostname);
    if (ip === undefined) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: ip, family: 4 }]);
    else callback(null, ip, 4);
  };

  private entry(name: string): Running {
    const entry = this.running.find((r) => r.member.name === name);
    if (!entry) throw new Error(`no member ${name}`);
    return entry;
  }

  /** Last resort when starting failed half-way: KILL what runs, remove the temp dir. */
  private killNow(): void {
    for (const r of this.running) {
      try {
        if (r.child.pid !== undefined) process.kill(-r.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A URL or flag value with the members' DNS names replaced by their addresses. */
  mapNames(text: string): string {
    let out = text;
    for (const [name, ip] of this.names) out = out.split(name).join(ip);
    return out;
  }

  /** The arguments each member was actually started with (the latest start). */
  argsOf(name: string): readonly string[] {
    return this.entry(name).args;
  }

  /** The member's log so far. */
  logOf(name: string): string {
    return this.entry(name).output.join('');
  }

  /** Client endpoints, from each member's --advertise-client-urls as started (names rewritten only in `rewrite` mode). */
  clientEndpoints(): string[] {
    return this.running.map((r) => this.endpointOf(r));
  }

  /** One member's client endpoint. */
  clientEndpoint(name: string): string {
    return this.endpointOf(this.entry(name));
  }

  private endpointOf(r: Running): string {
    const urls = flagValue(r.args, 'advertise-client-urls');
    if (!urls) throw new Error(`${r.member.name} has no --advertise-client-urls`);
    return urls.split(',')[0];
  }

  /** The URL of the member's /health on its metrics listener (--listen-metrics-urls as started). */
  healthUrl(name: string): string {
    const urls = flagValue(this.entry(name).args, 'listen-metrics-urls');
    if (!urls) throw new Error(`${name} has no --listen-metrics-urls`);
    return `${urls.split(',')[0].replace(/\/$/, '')}/health`;
  }

  /**
   * Ends one member at once with SIGKILL (its VM is gone: no clean shutdown) and waits for it.
   * Its data dir stays, as on a data disk that outlives the VM.
   */
  async kill(name: string): Promise<void> {
    const entry = this.entry(name);
    entry.stopped = true;
    try {
      process.kill(-(entry.child.pid as number), 'SIGKILL');
    } catch {
      /* already gone */
    }
    const until = Date.now() + 5000;
    while (entry.exit === undefined && Date.now() < until) await sleep(20);
    if (entry.exit === undefined) throw new Error(`${name} did not exit after SIGKILL`);
  }

  /**
   * Starts a stopped member again, as its replacement VM would: `args` are the flags systemd would
   * pass the new VM; `wipeData` empties its directory first (a new, blank data disk).
   */
  restart(name: string, args: readonly string[], options: { wipeData: boolean; env?: Readonly<Record<string, string>> }): void {
    const index = this.running.findIndex((r) => r.member.name === name);
    const old = this.running[index];
    if (!old || old.exit === undefined) throw new Error(`${name} is still running: kill it first`);
    old.child.stdout?.destroy();
    old.child.stderr?.destroy();
    if (options.wipeData) rmSync(this.memberDir(name), { recursive: true, force: true });
    this.running[index] = this.spawnMember({ ...old.member, args, env: options.env ?? old.member.env });
  }

  /** Waits (at most `deadlineMs`) for a line of the member's log that matches; returns it, or throws with the log's tail. */
  async waitForLog(name: string, pattern: RegExp, deadlineMs = 3000): Promise<string> {
    const entry = this.entry(name);
    const until = Date.now() + deadlineMs;
    for (;;) {
      const line = entry.output.join('').split('\n').find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (Date.now() > until) throw new Error(`${name} logged nothing matching ${pattern} within ${deadlineMs} ms:\n${this.describe(entry)}`);
      await sleep(50);
    }
  }

  /** Waits for a member to exit on its own (a refused start); returns how, and its log. */
  async waitExit(name: string, deadlineMs: number): Promise<{ exit: string; log: string }> {
    const entry = this.entry(name);
    const until = Date.now() + deadlineMs;
    while (entry.exit === undefined && Date.now() < until) await sleep(50);
    if (entry.exit === undefined) throw new Error(`${name} still runs after ${deadlineMs} ms:\n${this.describe(entry)}`);
    entry.stopped = true;
    return { exit: entry.exit, log: entry.output.join('') };
  }

  /** `etcdctl member list` through `endpoint`. */
  async memberList(endpoint: string): Promise<ListedMember[]> {
    const out = await this.etcdctl(['--endpoints', endpoint, 'member', 'list']);
    // ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER; several URLs are joined by ","
    return out
      .trim()
      .split('\n')
      .map((line) => {
        const [id, status, name, peers, clients] = line.split(', ');
        return { id, started: status === 'started', name, peerURLs: peers ? peers.split(',') : [], clientURLs: clients ? clients.split(',') : [] };
      });
  }

  /**
   * Runs etcdctl (v3 API) with the cluster's client certificate (unless `args` bring their own
   * TLS flags) and a deadline; resolves with stdout, rejects with its output.
   */
  async etcdctl(args: readonly string[], timeoutMs = 5000): Promise<string> {
    const own = args.some((a) => /^--(cacert|cert|key)(=|$)/.test(a));
    const tlsFlags = this.client && !own ? [`--cacert=${this.client.ca}`, `--cert=${this.client.cert}`, `--key=${this.client.key}`] : [];
    const result = await this.run([ETCDCTL_BINARY, ...tlsFlags, ...args], { env: { ETCDCTL_API: '3' }, timeoutMs });
    if (result.status !== 0) throw new Error(`etcdctl ${args.join(' ')}: exit ${result.status}\n${result.stdout}${result.stderr}`);
    return result.stdout;
  }

  /**
   * Polls `etcdctl endpoint health` until every member not stopped on purpose is healthy, for at
   * most `deadlineMs`; returns the last report (endpoint -> health).
   */
  async waitHealthy(deadlineMs: number): Promise<Map<string, boolean>> {
    const expected = this.running.filter((r) => !r.stopped);
    const endpoints = expected.map((r) => this.endpointOf(r)).join(',');
    const until = Date.now() + deadlineMs;
    let last = '';
    while (Date.now() < until) {
      const dead = expected.filter((r) => r.exit !== undefined);
      if (dead.length > 0) throw new Error(`etcd exited early:\n${dead.map((r) => this.describe(r)).join('\n')}`);
      try {
        const out = await this.etcdctl(['--endpoints', endpoints, '--dial-timeout=1s', '--command-timeout=2s', 'endpoint', 'health', '--write-out=json'], 4000);
        const report = new Map((JSON.parse(out) as { endpoint: string; health: boolean }[]).map((e) => [e.endpoint, e.health]));
        if ([...report.values()].every(Boolean) && report.size === expected.length) return report;
        last = out;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(250);
    }
    throw new Error(`not healthy within ${deadlineMs} ms: ${last}\n${this.running.map((r) => this.describe(r)).join('\n')}`);
  }

  /** One member's state and the tail of its log, for failure messages. */
  private describe(r: Running): string {
    const tail = r.output.join('').split('\n').slice(-15).join('\n');
    return `--- ${r.member.name} (${r.exit ?? 'running'}): etcd ${r.args.join(' ')}\n${tail}`;
  }

  /**
   * Stops every process and removes the temp dir; never throws. TERM, then KILL after 1 s: a
   * leader that gets TERM tries to hand leadership to a follower first, which waits out a timeout
   * when the followers are going down too; the data is thrown away anyway.
   */
  async stop(): Promise<void> {
    const alive = (r: Running) => r.exit === undefined && r.child.pid !== undefined;
    const signalGroup = (r: Running, signal: NodeJS.Signals) => {
      try {
        process.kill(-(r.child.pid as number), signal);
      } catch {
        /* already gone */
      }
    };
    this.running.filter(alive).forEach((r) => signalGroup(r, 'SIGTERM'));
    const until = Date.now() + 1000;
    while (this.running.some(alive) && Date.now() < until) await sleep(50);
    this.running.filter(alive).forEach((r) => signalGroup(r, 'SIGKILL'));
    while (this.running.some(alive) && Date.now() < until + 3000) await sleep(50);
    for (const r of this.running) {
      r.child.stdout?.destroy();
      r.child.stderr?.destroy();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One HTTP(S) request: the status and body, or the error (never rejects). */
export function httpGet(
  url: string,
  options: { ca?: string; cert?: string; key?: string; lookup?: LookupFunction } = {},
): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http;
    const request = lib.get(url, { ...options, agent: false, timeout: 4000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: timeout`)));
    request.on('error', (e: NodeJS.ErrnoException) => resolve({ error: `${e.code ?? ''} ${e.message}` }));
  });
}

/**
 * A TLS handshake to a member's peer port (2380) at `host`, from `localAddress` if given, then a
 * request, so that the server's verdict on our certificate arrives: the status line, or how the
 * connection ended (never rejects).
 */
export function peerRequest(host: string, options: tls.ConnectionOptions & { localAddress?: string }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port: 2380, timeout: 4000, ...options }, () => socket.write('GET /version HTTP/1.1\r\nHost: peer\r\nConnection: close\r\n\r\n'));
    let data = '';
    socket.on('data', (c: Buffer) => {
      data += c.toString('utf8');
      if (data.includes('\r\n')) {
        resolve(data.split('\r\n')[0]);
        socket.destroy();
      }
    });
    socket.on('end', () => resolve(`closed after ${JSON.stringify(data)}`));
    socket.on('timeout', () => socket.destroy(new Error('timeout')));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? ''} ${e.message}`));
  });
}
