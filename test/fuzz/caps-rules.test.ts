// I6 is shown to catch broken cap rules. Each test breaks one rule of the Locker or of the
// client with vi.spyOn on the module export (the callers in other modules go through it), runs
// the fuzz, and expects the shrunk failure on I6 with the message of the check that saw it:
// (a) a stable lock with a revoke not waited for, (b) a cap not being revoked beyond its
// client's role, (c) a client holding more than the MDS issued it. Were the check a no-op,
// the fuzz would pass (or fail elsewhere) and the test would fail.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as caps from '../../src/locker/caps.js';
import * as client from '../../src/clients/client.js';
import { fuzz } from '../../src/fuzz/property.js';
import type { Message } from '../../src/messages/index.js';

const failure = (seed: number) => {
  const r = fuzz({ runs: 300, seed, steps: 30 });
  expect(r.failed, 'no run failed').not.toBeNull();
  return r.failed!;
};

afterEach(() => vi.restoreAllMocks());

describe('I6 catches broken cap rules', () => {
  it('(a) eval_gather does not wait for revoked caps: a stable lock with caps still being revoked', () => {
    const spy = vi.spyOn(caps, 'caps_fit').mockReturnValue(true);
    const f = failure(1);
    expect(spy).toHaveBeenCalled();
    expect(f.failure!.what).toBe('I6');
    expect(f.failure!.message).toMatch(/is stable with caps \S+ issued beyond what it allows/);
  });

  it('(b) an open is answered with caps the locks do not allow', () => {
    const spy = vi.spyOn(caps, 'get_caps_allowed_by_type').mockReturnValue(0xffff);
    const f = failure(1);
    expect(spy).toHaveBeenCalled();
    expect(f.failure!.what).toBe('I6');
    expect(f.failure!.message).toMatch(/client\.\d+ holds \S+ with nothing being revoked, \S+ beyond the \S+ that (the |a non-)loner/);
    expect(f.steps.some((s) => s.kind === 'open')).toBe(true);
  });

  it('(b) issue_caps never revokes: a cap beyond the role, not being revoked, while the gather waits', () => {
    // the gather would wait for ever (I7 at the end of the run), but (b) sees the cap as soon
    // as the state allows less: here a second client opens a directory, the loner is no longer
    // wanted and ifile goes excl->sync, with the old loner's Fx never revoked
    const real = caps.issue_caps;
    const spy = vi.spyOn(caps, 'issue_caps').mockImplementation((ctx, inode, only) => {
      let n = 0;
      for (const x of caps.caps_vs_allowed(inode)) {
        if ((only === undefined || x.client === only) && (x.pending & ~x.allowed) === 0) n += real(ctx, inode, x.client);
      }
      return n;
    });
    const f = failure(2);
    expect(spy).toHaveBeenCalled();
    expect(f.failure!.what).toBe('I6');
    expect(f.failure!.message).toMatch(/client\.\d+ holds \S+ with nothing being revoked/);
  });

  it('(c) a client acknowledges a revoke but keeps the caps', () => {
    const real = client.client_dispatch;
    const spy = vi.spyOn(client, 'client_dispatch').mockImplementation((cl, m: Message) => {
      const had = m.kind === 'caps' ? cl.caps[m.path]?.[m.from] ?? 0 : 0;
      const out = real(cl, m);
      if (m.kind === 'caps') cl.set_caps(m.path, m.from, had | m.caps);
      return out;
    });
    const f = failure(1);
    expect(spy).toHaveBeenCalled();
    expect(f.failure!.what).toBe('I6');
    expect(f.failure!.message).toMatch(/client\.\d+ holds \S+ on \S+ from mds\.\d but mds\.\d issued it only \S+, and no cap message for it is in flight/);
  });
});
