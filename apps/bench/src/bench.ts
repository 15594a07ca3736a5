import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exitCodeFor } from '@raxx/vault-proxy';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { type BenchOptions, type LoaderChoice, SCENARIO_NAMES, type ScenarioName, TARGET_NAMES, type TargetName } from './options.js';
import { writeGeneratedSection } from './report/markdown-file.js';
import { renderMarkdown } from './report/render-markdown.js';
import { runBench } from './run-bench.js';

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** `pnpm bench` runs this script inside apps/bench; paths on the command line mean the caller's directory. */
function fromCaller(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

async function main(): Promise<number> {
  // `pnpm bench -- --quick` hands the `--` on to the script; drop it so the flags after it count.
  const args = hideBin(process.argv);
  const argv = await yargs(args[0] === '--' ? args.slice(1) : args)
    .scriptName('bench')
    .usage('$0 [options]\n\nMeasure @raxx/vault-proxy side by side with direct, nginx, Caddy and HAProxy on loopback.')
    .option('duration', { type: 'number', describe: 'seconds per measured load run', default: 5 })
    .option('repetitions', { type: 'number', describe: 'interleaved passes (figures are medians); default 3, 1 with --quick' })
    .option('warmup', { type: 'number', describe: 'seconds of untimed load before each run; default 1, 0 with --quick' })
    .option('warmup-runs', {
      type: 'number',
      describe: 'split the warm-up into this many load runs, each with new connections; default 1',
    })
    .option('quick', { type: 'boolean', describe: 'smoke mode: a handful of requests per scenario, small bodies', default: false })
    .option('targets', {
      type: 'string',
      array: true,
      describe: `comma list of ${TARGET_NAMES.join(', ')} (default all; candidate only with --proxy-module, which adds it)`,
    })
    .option('scenarios', { type: 'string', array: true, describe: `comma list of ${SCENARIO_NAMES.join(', ')} (default all)` })
    .option('install', { type: 'boolean', describe: 'apt-get install missing peers and wrk (--no-install to skip)', default: true })
    .option('loader', { choices: ['auto', 'wrk', 'autocannon'] as const, describe: 'load generator', default: 'auto' as const })
    .option('stream-bytes', { type: 'number', describe: 'size of the streamed response; default 1 GiB, 4 MiB with --quick' })
    .option('post-bytes', { type: 'number', describe: 'size of each POST body', default: 1024 * 1024 })
    .option('handshake-requests', { type: 'number', describe: 'requests in the handshake scenario; default 10000, 200 with --quick' })
    .option('pool-size', { type: 'number', describe: 'upstream pool size of the proxy and the peers', default: 64 })
    .option('access-log', { type: 'boolean', describe: 'access log on for every target (proxy at info)', default: true })
    .option('pin', { type: 'boolean', describe: 'pin upstream / targets / loader to cores with taskset', default: true })
    .option('profile', { type: 'string', describe: 'write V8 CPU profiles of the proxy processes into DIR/proxy and DIR/candidate' })
    .option('proxy-module', {
      type: 'string',
      describe:
        'also measure a candidate build of @raxx/vault-proxy (ESM file exporting createProxy) as target "candidate", beside the proxy',
    })
    .option('compare', { type: 'string', describe: "an earlier run's --json report: give every figure's change against it" })
    .option('json', { type: 'string', describe: 'write the report as JSON to this path' })
    .option('markdown', { type: 'string', describe: 'write the tables into this Markdown file between bench markers' })
    .strict()
    .help()
    .parseAsync();

  const options: BenchOptions = {
    duration: argv.duration,
    quick: argv.quick,
    install: argv.install,
    loader: argv.loader as LoaderChoice,
    postBytes: argv['post-bytes'],
    poolSize: argv['pool-size'],
    accessLog: argv['access-log'],
    pin: argv.pin,
    progress: (line) => process.stderr.write(`${line}\n`),
    ...(argv.repetitions === undefined ? {} : { repetitions: argv.repetitions }),
    ...(argv.warmup === undefined ? {} : { warmup: argv.warmup }),
    ...(argv['warmup-runs'] === undefined ? {} : { warmupRuns: argv['warmup-runs'] }),
    ...(argv['stream-bytes'] === undefined ? {} : { streamBytes: argv['stream-bytes'] }),
    ...(argv['handshake-requests'] === undefined ? {} : { handshakeRequests: argv['handshake-requests'] }),
    ...(argv.profile === undefined ? {} : { profileDir: fromCaller(argv.profile) }),
    ...(argv['proxy-module'] === undefined ? {} : { proxyModule: fromCaller(argv['proxy-module']) }),
    ...(argv.compare === undefined ? {} : { compare: fromCaller(argv.compare) }),
    ...(argv.targets === undefined ? {} : { targets: list(argv.targets) as TargetName[] }),
    ...(argv.scenarios === undefined ? {} : { scenarios: list(argv.scenarios) as ScenarioName[] }),
  };
  const report = await runBench(options);
  const markdown = renderMarkdown(report);
  process.stdout.write(`\n${markdown}\n`);
  if (argv.json !== undefined) writeFileSync(fromCaller(argv.json), `${JSON.stringify(report, null, 2)}\n`);
  if (argv.markdown !== undefined) writeGeneratedSection(fromCaller(argv.markdown), markdown);
  if (report.scratchDir !== undefined) process.stderr.write(`some runs failed; configs and logs kept in ${report.scratchDir}\n`);
  // The limit and the proxy (and a candidate asked for) must measure; a peer that is missing is reported, not an error.
  const mustMeasure = new Set<TargetName>(['direct', 'proxy', 'candidate']);
  const broken = report.scenarios.some((s) => s.rows.some((r) => mustMeasure.has(r.target) && r.status === 'failed'));
  return broken ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeFor(error);
  },
);
