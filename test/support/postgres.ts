// A throwaway PostgreSQL cluster for the tests of the PostgreSQL store: initdb and pg_ctl in a temp folder, listening
// on a Unix socket in that folder and on a loopback port (for password authentication), stopped afterwards.
// initdb refuses to run as root, so as root the server runs as the `postgres` user Debian's package creates.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The folder of initdb and pg_ctl, or undefined when no PostgreSQL server is installed. */
export function postgresBinDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  // Debian links initdb into /usr/local/bin or not at all; its real folder also holds pg_ctl and psql.
  if (onPath !== '') return dirname(realpathSync(onPath));
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

export const POSTGRES_MISSING =
  'no PostgreSQL server binaries (initdb, pg_ctl) on this machine: install Debian\'s "postgresql" package, as .ci/run does';

export interface Cluster {
  /** The superuser over the Unix socket, trusted: `postgres://postgres@/postgres?host=…`. */
  readonly url: string;
  /** A URL for `database`, over the socket. */
  urlFor(database: string): string;
  /** A URL over loopback TCP, where a password is checked (scram-sha-256). */
  tcpUrl(user: string, password: string, database: string): string;
  /** Runs SQL as the superuser. */
  sql(statement: string, database?: string): string;
  stop(): void;
  /** Stops the server at once, as a crash would (for the tests of a server that goes away). */
  kill(): void;
  start(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(POSTGRES_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'cnassess-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, command), ...args] : args;
    const result = spawnSync(asRoot ? 'runuser' : join(bin, command), argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  chmodSync(dir, 0o755);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100`,
      'start',
    ]);
  start();
  const socketUrl = (database: string) => `postgres://postgres@/${database}?host=${encodeURIComponent(dir)}&port=${port}`;
  const psql = (statement: string, database = 'postgres') => {
    const result = spawnSync(join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-Atqc', statement], {
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr || String(result.error)}`);
    return result.stdout.trim();
  };
  return {
    url: socketUrl('postgres'),
    urlFor: socketUrl,
    tcpUrl: (user, password, database) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    sql: psql,
    start,
    kill: () => void run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']),
    stop: () => {
      spawnSync(
        asRoot ? 'runuser' : join(bin, 'pg_ctl'),
        [...(asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []), '-D', data, '-m', 'fast', 'stop'],
        {
          encoding: 'utf8',
        },
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let databases = 0;
/** A new, empty database in the cluster, for one test. */
export function freshDatabase(cluster: Cluster): string {
  const name = `t_${process.pid}_${++databases}`;
  cluster.sql(`CREATE DATABASE ${name}`);
  return cluster.urlFor(name);
}
