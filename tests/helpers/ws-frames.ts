/**
 * Raw WebSocket traffic for fuzz tests: an upgrade over a plain TCP socket (so nothing
 * between the test and the server normalises what is sent) and builders for frames that
 * break RFC 6455 in one specific way each. Every frame is bounded: at most a few KiB.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface RawSocket {
  socket: net.Socket;
  /** Resolves once the server has closed or reset the connection (never rejects). */
  closed: Promise<void>;
}

/**
 * Opens a TCP connection, sends the upgrade request for `path` and waits for the server's
 * `101 Switching Protocols`. Extra headers (a token, an origin) are sent as given.
 */
export function openRawWebSocket(port: number, path = '/api/events', headers: Record<string, string> = {}): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => {}); // a reset is one of the outcomes under test, not a failure
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(`upgrade refused: ${head.slice(0, end)}`));
        return;
      }
      resolve({ socket, closed });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`connection closed during the upgrade: ${head}`)));
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

export interface FrameSpec {
  fin?: boolean;
  /** RSV1..RSV3 as a 3-bit number (0 = none set). */
  rsv?: number;
  opcode: number;
  payload?: Buffer;
  /** Clients must mask; false sends the payload in clear. */
  masked?: boolean;
  /**
   * Overrides the length written in the header (7-bit, 16-bit or 64-bit form chosen by its
   * size), so the header may claim more than is sent.
   */
  declaredLength?: bigint;
}

/** One frame, byte for byte as the spec says, however wrong the fields are. */
export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const masked = spec.masked ?? true;
  const length = spec.declaredLength ?? BigInt(payload.length);
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  } else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ (key[i % 4] as number)));
  return Buffer.concat([header, key, body]);
}

const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9 } as const;

function closePayload(code: number, reason = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code, 0);
  return Buffer.concat([b, reason]);
}

/** Deterministic bytes (xorshift32), so a failing run can be repeated exactly. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export interface GarbageKind {
  name: string;
  bytes: Buffer;
  /**
   * True when the server cannot tell the input is wrong until more arrives (a header cut
   * short): the test ends its side and expects the server to let go then.
   */
  incomplete?: boolean;
}

/** The twelve kinds of broken client traffic the event socket must survive. */
export function garbageKinds(): GarbageKind[] {
  return [
    { name: 'random bytes', bytes: pseudoRandomBytes(512, 0x5eed) },
    { name: 'reserved opcode 0x3', bytes: frame({ opcode: 0x3, payload: Buffer.from('hi') }) },
    { name: 'text frame with invalid UTF-8', bytes: frame({ opcode: OP.text, payload: Buffer.from([0x68, 0xff, 0xfe, 0xc3, 0x28]) }) },
    { name: 'text message over the 1 KiB limit (2 KiB)', bytes: frame({ opcode: OP.text, payload: Buffer.alloc(2048, 0x61) }) },
    { name: 'reserved bits RSV1..RSV3 set without an extension', bytes: frame({ opcode: OP.text, rsv: 7, payload: Buffer.from('x') }) },
    { name: 'unmasked client frame', bytes: frame({ opcode: OP.text, masked: false, payload: Buffer.from('hello') }) },
    { name: 'fragmented control frame (ping without FIN)', bytes: frame({ opcode: OP.ping, fin: false, payload: Buffer.from('p') }) },
    { name: 'control frame with a 126-byte payload', bytes: frame({ opcode: OP.ping, payload: Buffer.alloc(126, 1) }) },
    { name: 'continuation frame with nothing to continue', bytes: frame({ opcode: OP.continuation, payload: Buffer.from('tail') }) },
    { name: 'huge 64-bit length field (2^63 - 1)', bytes: frame({ opcode: OP.binary, declaredLength: 2n ** 63n - 1n, payload: Buffer.alloc(16) }) },
    { name: 'close with the reserved code 1005 and an invalid UTF-8 reason', bytes: frame({ opcode: OP.close, payload: closePayload(1005, Buffer.from([0xff])) }) },
    { name: 'truncated header', bytes: Buffer.from([0x81]), incomplete: true },
  ];
}
