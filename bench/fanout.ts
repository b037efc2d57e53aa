/**
 * The relay's broadcast step alone: one small message to 49 websocket members over loopback,
 * sent with `ws`'s `send` per member (a frame built per member, header and payload written as
 * two corked buffers) against one frame built once and written as is to each member's socket
 * (what the relay does since 29 Nov). It prints the server process's CPU per broadcast, each
 * way, the median of alternating rounds, beside a round that sends nothing (the cost of the
 * 5 ms timer that paces the broadcasts, the same in all three).
 *
 * Run: npx tsx bench/fanout.ts   (env BENCH_MEMBERS=49 BENCH_ROUNDS=30 BENCH_BROADCASTS=200)
 * No shared data needed. The 49 clients live in a child process, so their CPU is not counted.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { binaryFrame } from '../sync-server/src/relay/websocket-frame.ts';
import { median } from './stats.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 49);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const BROADCASTS = Number(process.env.BENCH_BROADCASTS ?? 200);
/** About the size of one relayed map update message. */
const MESSAGE_BYTES = 120;

for (const [name, value] of Object.entries({
  BENCH_MEMBERS: MEMBERS,
  BENCH_ROUNDS: ROUNDS,
  BENCH_BROADCASTS: BROADCASTS,
}))
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a whole number of at least 1`);
    process.exit(2);
  }

async function runClients(url: string): Promise<void> {
  let open = 0;
  for (let i = 0; i < MEMBERS; i++) {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      if (++open === MEMBERS) process.send!('ready');
    });
    ws.on('message', () => {});
    ws.on('error', (error) => {
      console.error('fanout client:', error);
      process.exit(1);
    });
  }
}

async function main(): Promise<void> {
  const members: { ws: WebSocket; socket: Duplex }[] = [];
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = createServer();
  server.on('upgrade', (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => members.push({ ws, socket })),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const clients = fork(new URL(import.meta.url).pathname, ['--clients', `ws://127.0.0.1:${port}`], {
    execArgv: process.execArgv,
  });
  await once(clients, 'message');
  while (members.length < MEMBERS) await new Promise((resolve) => setTimeout(resolve, 10));

  const message = new Uint8Array(MESSAGE_BYTES).fill(7);
  const ways: Record<string, () => void> = {
    'ws send per member': () => {
      for (const member of members) member.ws.send(message);
    },
    'one prebuilt frame': () => {
      const frame = binaryFrame(message);
      for (const member of members) member.socket.write(frame);
    },
    'nothing (timer only)': () => {},
  };
  const names = Object.keys(ways);
  const perBroadcast = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const before = process.cpuUsage();
      for (let i = 0; i < BROADCASTS; i++) {
        ways[name]!();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const used = process.cpuUsage(before);
      perBroadcast.get(name)!.push((used.user + used.system) / BROADCASTS);
    }
  }
  console.log(
    `${MEMBERS} members, ${MESSAGE_BYTES}-byte message, ${BROADCASTS} broadcasts 5 ms apart per round, ${ROUNDS} alternating rounds`,
  );
  console.log('');
  console.log('| way | server CPU per broadcast (median) | lowest round | highest round |');
  console.log('|---|---|---|---|');
  for (const [name, values] of perBroadcast)
    console.log(
      `| ${name} | ${median(values).toFixed(1)} µs | ${Math.min(...values).toFixed(1)} µs | ${Math.max(...values).toFixed(1)} µs |`,
    );
  const sent = perBroadcast.get('ws send per member')!;
  const framed = perBroadcast.get('one prebuilt frame')!;
  const saved = sent.map((value, round) => value - framed[round]!);
  console.log('');
  console.log(
    `Prebuilt frame against ws send, same round: median saving ${median(saved).toFixed(1)} µs per broadcast; cheaper in ${saved.filter((value) => value > 0).length} of ${ROUNDS} rounds.`,
  );
  clients.kill();
  for (const { ws } of members) ws.terminate();
  server.close();
}

if (process.argv[2] === '--clients') await runClients(process.argv[3]!);
else await main();
