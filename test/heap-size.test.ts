import { describe, expect, it } from 'vitest';
import { decideHeapSizing, nodeOptionsWords } from '../src/heap-size.js';

const MiB = 1024 * 1024;
const totalMemory = 24 * 1024 * MiB;
const decide = (constrainedMemory: number | undefined, givenFlags: readonly string[] = []) =>
  decideHeapSizing({ constrainedMemory, totalMemory, givenFlags });

describe('heap sizing from the container memory limit', () => {
  it('no limit (0, undefined, 2^64 or at least the machine): no second process, the growth capped in this one', () => {
    for (const none of [0, undefined, 2 ** 64, 17592186044416 * MiB, totalMemory, Number.NaN]) {
      const sizing = decide(none);
      expect(sizing.flags).toEqual([]);
      expect(sizing.runtimeFlags).toEqual(['--heap-growing-percent=50']);
      expect(sizing.containerMemoryMb).toBeUndefined();
      expect(sizing.reason).toBe(
        'no container memory limit: V8 sizes its heap, the old generation growing at most 50% between full collections',
      );
      expect(sizing.warning).toBeUndefined();
    }
  });

  it('no limit, and the operator gave a heap flag or the growth: nothing set, and the log says which', () => {
    for (const given of [['--heap-growing-percent=200'], ['--heap_growing_percent=10'], ['--max-old-space-size=900']]) {
      const sizing = decide(undefined, given);
      expect(sizing.flags).toEqual([]);
      expect(sizing.runtimeFlags).toEqual([]);
      expect(sizing.reason).toBe(`no container memory limit: the operator set ${given[0]}`);
    }
  });

  it('with a limit the heap limits bound it: no growth flag, and an operator growth flag alone still sizes', () => {
    expect(decide(512 * MiB).runtimeFlags).toEqual([]);
    const sizing = decide(512 * MiB, ['--heap-growing-percent=200']);
    expect(sizing.flags).toEqual(['--max-old-space-size=268', '--max-semi-space-size=16']);
    expect(sizing.runtimeFlags).toEqual([]);
  });

  it('256 MiB: 115 MB old space, 8 MB semi-spaces, no warning', () => {
    const sizing = decide(256 * MiB);
    expect(sizing.flags).toEqual(['--max-old-space-size=115', '--max-semi-space-size=8']);
    expect(sizing.containerMemoryMb).toBe(256);
    expect(sizing.reason).toMatch(/container memory limit \(256 MiB\)/);
    expect(sizing.warning).toBeUndefined();
  });

  it('512 MiB and 1 GiB: 60% of what is left after 64 MB, semi-spaces at V8 default maximum 16 MB', () => {
    expect(decide(512 * MiB).flags).toEqual(['--max-old-space-size=268', '--max-semi-space-size=16']);
    expect(decide(1024 * MiB).flags).toEqual(['--max-old-space-size=576', '--max-semi-space-size=16']);
  });

  it('128 MiB: still sized (64 MB floor, 4 MB semi-spaces), with a warning that it is below the need', () => {
    const sizing = decide(128 * MiB);
    expect(sizing.flags).toEqual(['--max-old-space-size=64', '--max-semi-space-size=4']);
    expect(sizing.warning).toMatch(/128 MiB\) is below what the service needs under load \(224 MiB\)/);
    expect(decide(224 * MiB).warning).toBeUndefined();
    expect(decide(223 * MiB).warning).toBeDefined();
  });

  it('a tiny limit keeps semi-spaces at 1 MB at least', () => {
    expect(decide(16 * MiB).flags).toEqual(['--max-old-space-size=64', '--max-semi-space-size=1']);
  });

  it('the operator wins: a heap flag in execArgv or NODE_OPTIONS means no flags, and says which', () => {
    for (const given of [
      ['--enable-source-maps', '--max-old-space-size=96'],
      ['--max_semi_space_size=8'],
      ['--max-heap-size=200'],
      nodeOptionsWords('  --enable-source-maps   --max-old-space-size=300 '),
    ]) {
      const sizing = decide(256 * MiB, given);
      expect(sizing.flags).toEqual([]);
      expect(sizing.containerMemoryMb).toBe(256);
      expect(sizing.reason).toMatch(/^the operator set --max[-_]/);
    }
  });

  it('other flags do not count as the operator sizing the heap', () => {
    const given = ['--enable-source-maps', '--import', 'tsx', '--max-old-space-sizes', '--semi-space-growth-factor=1'];
    expect(decide(256 * MiB, given).flags).toHaveLength(2);
    expect(nodeOptionsWords(undefined)).toEqual([]);
  });
});
