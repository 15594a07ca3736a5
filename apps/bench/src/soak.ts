import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodeFor } from '@raxx/vault-proxy';
import { type RecordingUpstream, startRecordingUpstream } from '@raxx/vault-testkit';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { planCpus } from './system/cpu-plan.js';
import { freePort } from './system/free-port.js';
import { startService } from './system/service.js';
import { checkoutCli } from './targets/worktree-cli.js';

/** The CF token the soak's proxy injects; the upstream checks every request carries it. */
const SOAK_CF_ID = 'soak-cf-id';
const SOAK_CF_SECRET = 'soak-cf-secret-canary-5d1e';

/** What one soak run found. */
export interface SoakReport {
  readonly requests: number;
  readonly concurrency: number;
  readonly resetRate: number;
  /** Client answers by status. */
  readonly statuses: Record<string, number>;
  /** Requests that got no HTTP answer at all (connection error, timeout). */
  readonly unanswered: number;
  /** 200 answers whose body belongs to another request. */
  readonly misrouted: number;
  /** Upstream resets the soak injected. */
  readonly resets: number;
  /** Requests that reached the upstream without the proxy's injected headers. */
  readonly foreign: number;
  /** Bytes the upstream's strict parser refused. */
  readonly anomalies: number;
  /** POSTs the upstream received more than once (a replayed write). */
  readonly replayedWrites: number;
  readonly seconds: number;
  readonly ok: boolean;
}

interface SoakOptions {
  readonly requests: number;
  readonly concurrency: number;
  readonly resetRate: number;
}

function oneRequest(agent: Agent, port: number, id: number): Promise<{ status: number; body: string } | undefined> {
  const isPost = id % 5 === 0;
  const body = isPost ? JSON.stringify({ id, pad: 'x'.repeat(id % 200) }) : undefined;
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: isPost ? 'POST' : 'GET',
        path: `/soak/${id}?n=${id}`,
        headers: {
          'X-Soak-Id': String(id),
          ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
        },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(body);
  });
}

/** The soak's upstream: answers with the request's id, and resets the connection for about `resetRate` of requests. */
async function soakUpstream(resetRate: number): Promise<{ upstream: RecordingUpstream; resets: () => number }> {
  const upstream = await startRecordingUpstream({ idleCloseMs: 30_000 });
  let resets = 0;
  let seen = 0;
  const every = resetRate > 0 ? Math.round(1 / resetRate) : 0;
  upstream.respondPrefix('/soak/', (req, conn) => {
    seen += 1;
    if (every > 0 && seen % every === 0) {
      resets += 1;
      conn.destroy();
      return;
    }
    const id = /^\/soak\/(\d+)/.exec(req.target)?.[1] ?? '';
    const header = req.rawHeaders.find((_, i) => i % 2 === 1 && req.rawHeaders[i - 1]?.toLowerCase() === 'x-soak-id') ?? '';
    conn.answer(200, { 'Content-Type': 'application/json' }, JSON.stringify({ id, header, bodyLength: req.body.length }));
  });
  return { upstream, resets: () => resets };
}

/**
 * Drive `vault-proxy start` (the built CLI) with `requests` requests at
 * `concurrency`, one in five a POST, while the upstream resets about
 * `resetRate` of its connections. Every request must get an answer (200 or
 * the proxy's 502), every 200 must carry its own request's id, and the
 * upstream must never see a request the proxy did not mean to send nor a
 * POST twice.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const cli = checkoutCli();
  if (cli === undefined) throw new Error('apps/cli is not built: run `npx --yes pnpm@10.34.9 build` first');
  const dir = mkdtempSync(join(tmpdir(), 'vault-proxy-soak-'));
  const { upstream, resets } = await soakUpstream(options.resetRate);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, upstream.certs.caCert);
  const port = await freePort();
  const service = await startService({
    name: 'vault-proxy',
    command: process.execPath,
    args: [cli, 'start'],
    env: {
      PATH: process.env.PATH,
      VAULT_PROXY_PORT: String(port),
      VAULT_PROXY_UPSTREAM: 'https://vault.raxx.app',
      VAULT_PROXY_CONNECT_TO: `127.0.0.1:${upstream.port}`,
      VAULT_PROXY_CA_FILE: caFile,
      VAULT_PROXY_LOG_LEVEL: 'warn',
      VAULT_PROXY_PID_FILE: join(dir, 'soak.pid'),
      CF_ACCESS_CLIENT_ID: SOAK_CF_ID,
      CF_ACCESS_CLIENT_SECRET: SOAK_CF_SECRET,
    },
    plan: planCpus(undefined, false),
    cpus: [],
    logFile: join(dir, 'proxy.log'),
    port,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const statuses: Record<string, number> = {};
  let unanswered = 0;
  let misrouted = 0;
  let next = 0;
  const started = Date.now();
  try {
    const worker = async (): Promise<void> => {
      while (next < options.requests) {
        next += 1;
        const id = next;
        const answer = await oneRequest(agent, port, id);
        if (answer === undefined) {
          unanswered += 1;
          continue;
        }
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status === 200) {
          const body = JSON.parse(answer.body) as { id?: string; header?: string };
          if (body.id !== String(id) || body.header !== String(id)) misrouted += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
    await service.stop();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const posts = new Map<string, number>();
  for (const r of upstream.requests) if (r.method === 'POST') posts.set(r.target, (posts.get(r.target) ?? 0) + 1);
  const replayedWrites = [...posts.values()].filter((n) => n > 1).length;
  const foreign = upstream.foreign().length;
  const anomalies = upstream.anomalies.length;
  const only200or502 = Object.keys(statuses).every((s) => s === '200' || s === '502');
  return {
    ...options,
    statuses,
    unanswered,
    misrouted,
    resets: resets(),
    foreign,
    anomalies,
    replayedWrites,
    seconds: (Date.now() - started) / 1000,
    ok: unanswered === 0 && misrouted === 0 && foreign === 0 && anomalies === 0 && replayedWrites === 0 && only200or502,
  };
}

async function main(): Promise<number> {
  const args = hideBin(process.argv);
  const argv = await yargs(args[0] === '--' ? args.slice(1) : args)
    .scriptName('soak')
    .usage(
      '$0 [options]\n\nSoak `vault-proxy start` against an upstream that resets some connections; every request must be answered and none misrouted.',
    )
    .option('requests', { type: 'number', default: 20_000, describe: 'requests in all' })
    .option('concurrency', { type: 'number', default: 32, describe: 'requests in flight at once' })
    .option('reset-rate', { type: 'number', default: 0.01, describe: 'share of upstream exchanges answered with a connection reset' })
    .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
    .strict()
    .help()
    .parseAsync();
  const report = await runSoak({ requests: argv.requests, concurrency: argv.concurrency, resetRate: argv['reset-rate'] });
  if (argv.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(
      `${report.ok ? '✔' : '✖'} soak: ${report.requests} requests at c${report.concurrency} in ${report.seconds.toFixed(1)} s, ` +
        `${report.resets} upstream resets; answers ${JSON.stringify(report.statuses)}; unanswered ${report.unanswered}, ` +
        `misrouted ${report.misrouted}, foreign ${report.foreign}, unparsable ${report.anomalies}, replayed writes ${report.replayedWrites}\n`,
    );
  }
  return report.ok ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`soak: ${error instanceof Error ? error.message : 'failed'}\n`);
      process.exit(exitCodeFor(error));
    },
  );
}
