/**
 * A stand-in for systemd's private D-Bus socket (/run/systemd/private). Ignition asks systemd for
 * its version when a config enables an instantiated unit (`getty@tty1.service`), to warn below
 * systemd 240; without an answer the files stage fails. This answers every method call: `Get`
 * with the string SYSTEMD_VERSION, anything else with an empty reply. Peer-to-peer, no bus daemon.
 */
import * as net from 'node:net';

export const SYSTEMD_VERSION = '252';

const METHOD_CALL = 1;
const METHOD_RETURN = 2;
const NO_REPLY_EXPECTED = 0x1;

/** Listens on `socketPath` until the returned close() is called. */
export async function startFakeSystemd(socketPath: string): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    serve(socket);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The SASL line exchange, then binary messages (little-endian D-Bus wire format). */
function serve(socket: net.Socket): void {
  let buffer = Buffer.alloc(0);
  let authenticated = false;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (!authenticated) {
      const end = buffer.indexOf('\r\n');
      if (end < 0) return;
      const line = buffer.subarray(0, end).toString('latin1').replace(/^\0/, '');
      buffer = buffer.subarray(end + 2);
      // godbus first sends a bare AUTH to learn the mechanisms, then AUTH EXTERNAL <uid>.
      if (line === 'AUTH') socket.write('REJECTED EXTERNAL\r\n');
      else if (line.startsWith('AUTH ')) socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
      else if (line === 'NEGOTIATE_UNIX_FD') socket.write('AGREE_UNIX_FD\r\n');
      else if (line === 'BEGIN') authenticated = true;
      else socket.write('ERROR\r\n');
    }
    while (buffer.length >= 16) {
      const fieldsLength = buffer.readUInt32LE(12);
      const total = align(16 + fieldsLength, 8) + buffer.readUInt32LE(4);
      if (buffer.length < total) return;
      const message = buffer.subarray(0, total);
      buffer = buffer.subarray(total);
      if (message[1] === METHOD_CALL && !(message[2] & NO_REPLY_EXPECTED)) {
        const serial = message.readUInt32LE(8);
        socket.write(memberOf(message, fieldsLength) === 'Get' ? reply(serial, 'v', variantString(SYSTEMD_VERSION)) : reply(serial, '', Buffer.alloc(0)));
      }
    }
  });
}

const MEMBER_FIELD = 3;
const REPLY_SERIAL_FIELD = 5;
const SIGNATURE_FIELD = 8;

/** The MEMBER header field of a message, walking the (code, variant) header array. */
function memberOf(message: Buffer, fieldsLength: number): string | undefined {
  let at = 16;
  while (at < 16 + fieldsLength) {
    at = align(at, 8);
    const code = message[at];
    const signature = String.fromCharCode(message[at + 2]);
    at += 2 + message[at + 1] + 1;
    if (signature === 'g') {
      at += 1 + message[at] + 1;
    } else if (signature === 's' || signature === 'o') {
      at = align(at, 4);
      const length = message.readUInt32LE(at);
      if (code === MEMBER_FIELD) return message.toString('utf8', at + 4, at + 4 + length);
      at += 4 + length + 1;
    } else {
      at = align(at, 4) + 4; // 'u'
    }
  }
  return undefined;
}

function reply(replySerial: number, signature: string, body: Buffer): Buffer {
  const fields: Buffer[] = [field(REPLY_SERIAL_FIELD, 'u', u32(replySerial))];
  if (signature !== '') fields.push(field(SIGNATURE_FIELD, 'g', Buffer.from([signature.length, ...Buffer.from(signature), 0])));
  const array = concatAligned(fields);
  const header = Buffer.alloc(16);
  header.write('l', 0, 'latin1');
  header[1] = METHOD_RETURN;
  header[2] = NO_REPLY_EXPECTED;
  header[3] = 1; // protocol version
  header.writeUInt32LE(body.length, 4);
  header.writeUInt32LE(replySerial + 1_000_000, 8);
  header.writeUInt32LE(array.length, 12);
  return Buffer.concat([header, pad(array, 16), body]);
}

/** One header field: code, the value's signature, the value (aligned as at offset 0 mod 8). */
function field(code: number, signature: 'u' | 'g', value: Buffer): Buffer {
  const head = Buffer.from([code, 1, signature.charCodeAt(0), 0]);
  return Buffer.concat([head, value]);
}

function variantString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  // signature "s" (1 + 1 + 1 bytes), a pad byte to 4, then length, string and NUL
  return Buffer.concat([Buffer.from([1, 's'.charCodeAt(0), 0, 0]), u32(bytes.length), bytes, Buffer.from([0])]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

/** Header array entries each start on an 8-byte boundary. */
function concatAligned(parts: Buffer[]): Buffer {
  let out = Buffer.alloc(0);
  for (const part of parts) out = Buffer.concat([pad(out, 0), part]);
  return out;
}

/** Pads `buffer` (which starts at `offset` in the message) to an 8-byte boundary. */
function pad(buffer: Buffer, offset: number): Buffer {
  return Buffer.concat([buffer, Buffer.alloc(align(offset + buffer.length, 8) - offset - buffer.length)]);
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
