/**
 * Test helper: the base of the loopback HTTP fakes that real scripts talk to (the metadata server
 * and Cloud Storage for fetch-secrets, the apiserver for cluster-bootstrap): a server on an unused
 * port of 127.0.0.1, its URL, and a stop that waits for it to close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class LoopbackHttpFake {
  /** `http://127.0.0.1:<port>`, once started. */
  url = '';
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): void;
}
