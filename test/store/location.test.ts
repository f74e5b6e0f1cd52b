// Which store a command works on, and how messages name it.
import { describe, expect, it } from 'vitest';
import { resolveStore, storeName } from '../../src/store/location.js';
import { maskedUrl } from '../../src/store/url.js';

const dir = (options: Parameters<typeof resolveStore>[0]) => {
  const location = resolveStore(options);
  return location.kind === 'file' ? location.dir : `url:${location.url}`;
};

describe('resolveStore', () => {
  it('takes --store first, then CNASSESS_STORE, then .cnassess in the working folder', () => {
    const env = { CNASSESS_STORE: '/env/store' };
    expect(dir({ flag: '/flag/store', env, cwd: '/work' })).toBe('/flag/store');
    expect(dir({ env, cwd: '/work' })).toBe('/env/store');
    expect(dir({ env: {}, cwd: '/work' })).toBe('/work/.cnassess');
  });

  it('resolves relative folders against the working folder and ignores an empty CNASSESS_STORE', () => {
    expect(dir({ flag: 'here', env: {}, cwd: '/work' })).toBe('/work/here');
    expect(dir({ env: { CNASSESS_STORE: 'there' }, cwd: '/work' })).toBe('/work/there');
    expect(dir({ env: { CNASSESS_STORE: '' }, cwd: '/work' })).toBe('/work/.cnassess');
  });

  it('takes a postgres:// or postgresql:// URL, from the flag or CNASSESS_STORE, as a database', () => {
    expect(dir({ flag: 'postgres://u@db/x', env: {}, cwd: '/work' })).toBe('url:postgres://u@db/x');
    expect(dir({ env: { CNASSESS_STORE: 'PostgreSQL://u@db/x' }, cwd: '/work' })).toBe('url:PostgreSQL://u@db/x');
    // A folder that happens to be named like a scheme is still a folder.
    expect(dir({ flag: 'postgres', env: {}, cwd: '/work' })).toBe('/work/postgres');
  });
});

describe('naming a store in messages', () => {
  it('masks the password of a URL wherever it is given, and keeps the rest', () => {
    expect(maskedUrl('postgres://alice:s3cret@db.example:5432/cn?sslmode=require')).toBe(
      'postgres://alice:***@db.example:5432/cn?sslmode=require',
    );
    expect(maskedUrl('postgres://alice:p%40ss@db/cn')).toBe('postgres://alice:***@db/cn');
    expect(maskedUrl('postgres://alice:a@b@db/cn')).toBe('postgres://alice:***@db/cn');
    expect(maskedUrl('postgres://alice@db/cn?password=s3cret&sslmode=require')).toBe('postgres://alice@db/cn?password=***&sslmode=require');
    expect(maskedUrl('postgres://alice@/cn?host=/run/postgresql')).toBe('postgres://alice@/cn?host=/run/postgresql');
    expect(maskedUrl('postgres://db/cn')).toBe('postgres://db/cn');
  });

  it('names a folder by its path and a database by its masked URL', () => {
    expect(storeName({ kind: 'file', dir: '/work/.cnassess' })).toBe('/work/.cnassess');
    expect(storeName({ kind: 'postgres', url: 'postgres://a:pw@h/d' })).toBe('postgres://a:***@h/d');
  });
});

describe('commands that need a folder', () => {
  it('refuse a database store before connecting, saying why', async () => {
    const { cnassess } = await import('../support/cli.js');
    const url = 'postgres://alice:pw@127.0.0.1:1/cn';
    const setup = await cnassess(['--store', url, 'git-setup']);
    expect(setup.code).toBe(2);
    expect(setup.stderr).toBe(
      'cnassess: git-setup works on a file store (a folder); postgres://alice:***@127.0.0.1:1/cn is a PostgreSQL database\n',
    );
    const since = await cnassess(['--store', url, 'verify', '--since', 'HEAD']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/^cnassess: verify --since works on a file store/);
  });
});
