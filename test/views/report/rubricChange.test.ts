// A report whose previous period used another rubric version says so, and points at the like-for-like diff.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cnassess, tempDir } from '../../support/cli.js';

describe('report across a rubric change', () => {
  it('names both rubric versions in the summary and points to “cnassess diff”', async () => {
    const store = join(tempDir(), 'store');
    expect((await cnassess(['--store', store, 'demo'])).code).toBe(0);
    const across = await cnassess(['--store', store, 'report', 'kestrel-freight/platform/2026-q1', '--format', 'json', '-o', '-']);
    expect(across.code).toBe(0);
    const text = (JSON.parse(across.stdout) as { summary: { paragraphs: string[] } }).summary.paragraphs.join(' ');
    expect(text).toMatch(/2025-Q4 was answered against cloud-native 1\.0\.0 and 2026-Q1 against cloud-native 1\.1\.0/);
    expect(text).toContain('“cnassess diff” compares the two like for like');

    const same = await cnassess(['--store', store, 'report', 'kestrel-freight/platform/2026-q3', '--format', 'json', '-o', '-']);
    expect((JSON.parse(same.stdout) as { summary: { paragraphs: string[] } }).summary.paragraphs.join(' ')).not.toContain('like for like');
  });
});
