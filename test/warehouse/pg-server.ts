/**
 * A throwaway PostgreSQL server for tests: initdb in a temporary directory, pg_ctl start on
 * 127.0.0.1 at a free port, queries through psql, pg_ctl stop. As root it runs as the `postgres`
 * user (PostgreSQL refuses to run as root). Any failure throws: the tests never skip.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findBinary(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const version of readdirSync(root).sort().reverse()) {
      const candidate = join(root, version, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`PostgreSQL's ${name} was not found on PATH or in /usr/lib/postgresql/*/bin; install Debian's postgresql package (.ci/run does)`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PgServer {
  port: number;
  dir: string;
  /** Runs SQL through psql; returns stdout (CSV with a header when csv is true). */
  psql(sql: string, csv?: boolean): string;
  stop(): void;
}

export async function startPgServer(): Promise<PgServer> {
  const initdb = findBinary('initdb');
  const pgCtl = findBinary('pg_ctl');
  const psqlBin = findBinary('psql');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'cbp-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const run = (bin: string, args: string[], input?: string): string => {
    const [cmd, full] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    return execFileSync(cmd, full, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30, cwd: dir });
  };
  const port = await freePort();
  run(initdb, ['-D', data, '-U', 'cbp', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  run(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start']);
  let stopped = false;
  return {
    port,
    dir,
    psql: (sql, csv = false) =>
      run(psqlBin, ['-h', '127.0.0.1', '-p', String(port), '-U', 'cbp', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-X', '-q', ...(csv ? ['--csv'] : ['-At']), '-f', '-'], sql),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
