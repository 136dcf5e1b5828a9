/**
 * Test helper: runs etcd members as local processes on loopback addresses, each with the flags
 * systemd would have given it. The members' DNS names resolve to their loopback addresses through
 * an /etc/hosts that is bind-mounted in a private mount namespace per process (the real file is
 * never touched); where mount namespaces are not available, the names are rewritten in the flags
 * instead (`hostMapping: 'rewrite'`).
 */
import { spawn, spawnSync, execFile, type ChildProcess } from 'node:child_process';
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

/** Mount namespaces with a bind mount work here (root, unshare allowed). */
export function canMapHosts(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind /etc/hosts /etc/hosts'], { timeout: 5000 });
  return probe.status === 0;
}

export interface LocalMember {
  readonly name: string;
  /** Its loopback address. */
  readonly ip: string;
  /** etcd's arguments as systemd would pass them. */
  readonly args: readonly string[];
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
  ) {}

  /** Starts one member per machine with its args, mapping each DNS name to its loopback IP as this host allows. */
  static startMachines(machines: readonly { name: string; dnsName: string; ip: string }[], argsOf: (index: number) => readonly string[]): LocalCluster {
    return LocalCluster.start(
      machines.map((m, i) => ({ name: m.name, ip: m.ip, args: argsOf(i) })),
      new Map(machines.map((m) => [m.dnsName, m.ip])),
      canMapHosts() ? 'hosts' : 'rewrite',
    );
  }

  /**
   * Starts every member. `names` maps DNS names to loopback addresses. The changes to a member's
   * flags: `--data-dir` moves into a temp dir (the configs' own /var/lib/etcd would
   * be one directory shared by all members on this one host, and the host's own; without the flag
   * etcd uses `<name>.etcd` in its working directory, the member's temp dir); a wildcard
   * listen address (0.0.0.0, [::]) becomes the member's own address, since on one shared host the
   * first member would take the port on every address; and, where hostMapping is `rewrite`, the
   * DNS names become the addresses.
   */
  static start(members: readonly LocalMember[], names: ReadonlyMap<string, string>, hostMapping: HostMapping): LocalCluster {
    for (const member of members) {
      if (!/^127\.\d+\.\d+\.\d+$/.test(member.ip)) throw new Error(`${member.name}: ${member.ip} is not a loopback address`);
    }
    for (const ip of names.values()) if (!ip.startsWith('127.')) throw new Error(`${ip} is not a loopback address`);
    const dir = mkdtempSync(path.join(tmpdir(), 'etcd-cluster-'));
    const hostsFile = path.join(dir, 'hosts');
    writeFileSync(hostsFile, `127.0.0.1\tlocalhost\n${[...names].map(([name, ip]) => `${ip}\t${name}\n`).join('')}`);
    const cluster = new LocalCluster(dir, hostsFile, [], hostMapping, names);
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

  private spawnMember(member: LocalMember): Running {
    const memberDir = this.memberDir(member.name);
    mkdirSync(memberDir, { recursive: true });
    let args = [...member.args];
    if (flagValue(args, 'data-dir') !== undefined) args = withFlag(args, 'data-dir', path.join(memberDir, 'data'));
    args = args.map((arg) => bindWildcardTo(arg, member.ip));
    if (this.hostMapping === 'rewrite') args = args.map((arg) => this.mapNames(arg));
    const command =
      this.hostMapping === 'hosts'
        ? ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$1" /etc/hosts && shift && exec "$@"', 'sh', this.hostsFile, ETCD_BINARY, ...args]
        : [ETCD_BINARY, ...args];
    // Its own process group, so that stop() reaches etcd whatever wraps it; no inherited ETCD_*.
    const child = spawn(command[0], command.slice(1), {
      cwd: memberDir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: memberDir },
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

  /** Client endpoints, from each member's --advertise-client-urls (names mapped for etcdctl). */
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
    return this.mapNames(urls.split(',')[0]);
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
  restart(name: string, args: readonly string[], options: { wipeData: boolean }): void {
    const index = this.running.findIndex((r) => r.member.name === name);
    const old = this.running[index];
    if (!old || old.exit === undefined) throw new Error(`${name} is still running: kill it first`);
    old.child.stdout?.destroy();
    old.child.stderr?.destroy();
    if (options.wipeData) rmSync(this.memberDir(name), { recursive: true, force: true });
    this.running[index] = this.spawnMember({ ...old.member, args });
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

  /** Runs etcdctl (v3 API) with a deadline; resolves with stdout, rejects with its output. */
  etcdctl(args: readonly string[], timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        ETCDCTL_BINARY,
        [...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ETCDCTL_API: '3' }, timeout: timeoutMs, encoding: 'utf8' },
        (error, stdout, stderr) => (error ? reject(new Error(`etcdctl ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout)),
      );
    });
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
