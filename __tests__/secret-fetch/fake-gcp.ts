/**
 * Loopback fakes of the GCE metadata server's token endpoint and of the Cloud Storage JSON API's
 * object metadata and media GETs, for the real fetch script (constructs/secret-fetch.ts): tokens,
 * 401 for unknown or revoked ones, generations, planned failures and truncated bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackHttpFake } from '../loopback-http-fake';

/** What the fake does on the next metadata request for an object (then `ok`). */
export type Behaviour = 'ok' | 403 | 404 | 500 | 'truncate-with-length' | 'truncate-chunked';

/** Loopback fakes of the metadata server and the GCS JSON API. */
export class FakeGcp extends LoopbackHttpFake {
  readonly objects = new Map<string, { data: Buffer; generation: string }>();
  readonly plans = new Map<string, Behaviour[]>();
  /** Tokens the fake has issued; those in `revoked` get 401. */
  readonly issued: string[] = [];
  readonly revoked = new Set<string>();
  readonly log: string[] = [];
  /** The tokens' `expires_in`. */
  expiresIn = 3599;
  private truncateNext = new Map<string, Behaviour>();
  /** Object requests in order: `metadata NAME` or `media NAME`. */
  readonly requests: string[] = [];

  /** @param bucket the one bucket it serves; other buckets are 404 */
  constructor(private readonly bucket: string) {
    super();
  }

  put(name: string, data: string | Buffer, plan: Behaviour[] = []): void {
    this.objects.set(name, { data: Buffer.from(data), generation: String(1700000000000000 + this.objects.size) });
    this.plans.set(name, [...plan]);
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.log.push(`${req.method} ${req.url}`);
    if (url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token') {
      if (req.headers['metadata-flavor'] !== 'Google') return this.reply(res, 403, 'Missing Metadata-Flavor:Google header.');
      const token = `ya29.fake-${this.issued.length + 1}`;
      this.issued.push(token);
      return this.reply(res, 200, JSON.stringify({ access_token: token, expires_in: this.expiresIn, token_type: 'Bearer' }), 'application/json');
    }
    const m = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(url.pathname);
    if (!m) return this.reply(res, 400, 'Bad Request');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.issued.includes(token) || this.revoked.has(token)) return this.reply(res, 401, '{"error":{"code":401,"message":"Invalid Credentials"}}');
    if (m[1] !== this.bucket) return this.reply(res, 404, 'no such bucket');
    const name = decodeURIComponent(m[2]);
    this.requests.push(`${url.searchParams.get('alt') === 'media' ? 'media' : 'metadata'} ${name}`);
    const object = this.objects.get(name);
    if (url.searchParams.get('alt') === 'media') {
      if (!object || url.searchParams.get('generation') !== object.generation) return this.reply(res, 404, 'No such object');
      const truncate = this.truncateNext.get(name);
      this.truncateNext.delete(name);
      const half = object.data.subarray(0, Math.floor(object.data.length / 2));
      if (truncate === 'truncate-with-length') {
        // Announces the whole length, sends half, and drops the connection.
        res.writeHead(200, { 'Content-Length': object.data.length, 'Content-Type': 'application/octet-stream' });
        res.write(half, () => res.destroy());
        return;
      }
      if (truncate === 'truncate-chunked') {
        // No length: a clean end after half the bytes, which only the size check catches.
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(half);
        return;
      }
      res.writeHead(200, { 'Content-Length': object.data.length, 'Content-Type': 'application/octet-stream' });
      res.end(object.data);
      return;
    }
    if (url.searchParams.get('fields') !== 'size,generation') return this.reply(res, 400, 'unexpected query');
    if (!object) return this.reply(res, 404, 'No such object');
    const next = this.plans.get(name)?.shift() ?? 'ok';
    if (typeof next === 'number') return this.reply(res, next, `{"error":{"code":${next}}}`);
    if (next !== 'ok') this.truncateNext.set(name, next);
    // GCS writes its JSON indented, one field a line, the int64s as strings.
    this.reply(res, 200, `{\n  "size": "${object.data.length}",\n  "generation": "${object.generation}"\n}\n`, 'application/json');
  }

  private reply(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}
