/** Free loopback ports, for UDP and TCP at once (DNS servers listen on both). */
import dgram from 'node:dgram';
import net from 'node:net';

function tcpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

const handedOut = new Set<number>();

/** A port free for both TCP and UDP on `host` (default 127.0.0.1), not handed out before by this process. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await tcpPort(host);
    if (handedOut.has(port)) continue;
    if (await udpFree(host, port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free TCP+UDP port found on ${host}`);
}

/**
 * A deliberately dead DNS server: a UDP socket that receives queries and never
 * answers (nothing listens on the same TCP port). Close it with close().
 */
export async function deadUdpServer(host = '127.0.0.1'): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  const port = await freePort(host);
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  let count = 0;
  socket.on('message', () => count++);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve());
  });
  return { port, received: () => count, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
