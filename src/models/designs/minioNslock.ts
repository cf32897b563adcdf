// MinIO's process-local namespace lock (cmd/namespace-lock.go, single-node mode): a map from
// volume/path to a refcounted RW mutex. A lock call bumps the entry's refcount (creating it)
// before it blocks, so a parallel unlock cannot delete an entry somebody waits on; a failed wait
// and every unlock drop the count and delete the entry at 0. A multi-path request takes its
// paths one by one, in sorted order (NewNSLock sorts them), and on a timeout releases those it
// took and fails: all or nothing. Each client runs its bounded list of requests, holding each
// granted one until it unlocks it.
import type { Encoder, Property } from '../Model.js';
import { DesignConfigError, type Design, type DesignModel, type DesignView } from './design.js';
import { bool, list, lockOp, need, record, type LockOp } from './configRead.js';
import { copy, decodeJson, encodeJson } from './stateCodec.js';

interface Config {
  readonly clients: readonly (readonly LockOp[])[];
  /** The resources named anywhere, sorted. */
  readonly resources: readonly string[];
  readonly sortPaths: boolean;
  readonly timeout: boolean;
}

const IDLE = 0, WAITING = 1, HOLDING = 2;

interface Client {
  /** The request it runs (its index in the workload; the workload's length when done). */
  pc: number;
  phase: number;
  /** WAITING: the index of the path it waits for (those before it are held). */
  at: number;
  /** Requests that timed out. */
  failed: number;
}

interface Lock {
  /** Writers' client indexes (the mutex allows one; a list, so that mutual_exclusion can see two). */
  w: number[];
  /** Readers' client indexes, sorted (a client reading a path twice is in twice). */
  r: number[];
  /** The map entry's refcount, or -1 when there is no entry. */
  ref: number;
}

interface NsState { clients: Client[]; locks: Lock[] }

type Kind = 'lock' | 'acquire' | 'timeout' | 'unlock';
interface NsAction { readonly c: number; readonly k: Kind }

const name = (c: number) => `client.${c + 1}`;

function readConfig(v: unknown): Config {
  const o = record(v, [], ['clients', 'sort_paths', 'timeout']);
  const clients = list(need(o, 'clients', []), ['clients'], 1, 3).map((c, i) => {
    const co = record(c, ['clients', i], ['ops']);
    return list(need(co, 'ops', ['clients', i]), ['clients', i, 'ops'], 1, 3).map((x, j) => lockOp(x, ['clients', i, 'ops', j], 3));
  });
  const sortPaths = 'sort_paths' in o ? bool(o.sort_paths, ['sort_paths']) : true;
  const timeout = 'timeout' in o ? bool(o.timeout, ['timeout']) : true;
  const ordered = clients.map((ops) => ops.map((op) => (sortPaths ? { ...op, paths: [...op.paths].sort() } : op)));
  const resources = [...new Set(ordered.flat().flatMap((op) => op.paths))].sort();
  if (resources.length > 4) throw new DesignConfigError(['clients'], `the workload names ${resources.length} paths; at most 4 keep the search small`);
  return { clients: ordered, resources, sortPaths, timeout };
}

export class MinioNslockModel implements DesignModel<NsState, NsAction> {
  readonly name: string;
  readonly properties: readonly Property<NsState>[];

  constructor(private readonly cfg: Config) {
    this.name = `minio-nslock (${cfg.clients.length} clients, ${cfg.resources.length} paths)`;
    this.properties = [
      { name: 'mutual_exclusion', check: (s) => this.exclusion(s) },
      { name: 'no_leaked_entry', check: (s) => this.leaks(s) },
      { name: 'all_or_nothing', check: (s) => this.allOrNothing(s) },
    ];
  }

  private op(s: NsState, c: number): LockOp { return this.cfg.clients[c][s.clients[c].pc]; }
  private res(p: string): number { return this.cfg.resources.indexOf(p); }

  initStates(): NsState[] {
    return [{ clients: this.cfg.clients.map(() => ({ pc: 0, phase: IDLE, at: 0, failed: 0 })), locks: this.cfg.resources.map(() => ({ w: [], r: [], ref: -1 })) }];
  }

  actions(s: NsState): NsAction[] {
    const out: NsAction[] = [];
    s.clients.forEach((cl, c) => {
      if (cl.phase === IDLE && cl.pc < this.cfg.clients[c].length) out.push({ c, k: 'lock' });
      if (cl.phase === WAITING) {
        const op = this.op(s, c), l = s.locks[this.res(op.paths[cl.at])];
        // LRWMutex: a writer needs the mutex free, a reader needs no writer
        if (op.write ? l.w.length === 0 && l.r.length === 0 : l.w.length === 0) out.push({ c, k: 'acquire' });
        if (this.cfg.timeout) out.push({ c, k: 'timeout' });
      }
      if (cl.phase === HOLDING) out.push({ c, k: 'unlock' });
    });
    return out;
  }

  nextState(s0: NsState, a: NsAction): NsState {
    const s = copy(s0);
    const cl = s.clients[a.c], op = this.op(s, a.c);
    switch (a.k) {
      case 'lock': cl.phase = WAITING; cl.at = 0; this.ref(s, op.paths[0], +1); break; // localLockInstance.GetLock -> NSLockMap.lock: ref++ before it blocks
      case 'acquire': {
        const l = s.locks[this.res(op.paths[cl.at])];
        (op.write ? l.w : l.r).push(a.c);
        l.r.sort((x, y) => x - y);
        if (++cl.at === op.paths.length) cl.phase = HOLDING;
        else this.ref(s, op.paths[cl.at], +1);
        break;
      }
      case 'timeout': // NSLockMap.lock: the wait failed, ref--; localLockInstance.GetLock: unlock what it took
        this.ref(s, op.paths[cl.at], -1);
        for (const p of op.paths.slice(0, cl.at)) this.release(s, a.c, p, op.write);
        cl.phase = IDLE; cl.pc++; cl.failed++;
        break;
      case 'unlock': // localLockInstance.Unlock -> NSLockMap.unlock per path
        for (const p of op.paths) this.release(s, a.c, p, op.write);
        cl.phase = IDLE; cl.pc++;
        break;
    }
    return s;
  }

  /** The refcount of a path's entry up or down; the entry made at the first and deleted at 0 (NSLockMap.lock / unlock). */
  private ref(s: NsState, p: string, d: number): void {
    const l = s.locks[this.res(p)];
    l.ref = Math.max(l.ref, 0) + d;
    if (l.ref === 0) l.ref = -1;
  }

  /** NSLockMap.unlock: RUnlock or Unlock the entry's mutex, then ref-- (a path with no entry is skipped, as there). */
  private release(s: NsState, c: number, p: string, write: boolean): void {
    const l = s.locks[this.res(p)];
    if (l.ref < 0) return;
    const holders = write ? l.w : l.r;
    holders.splice(holders.indexOf(c), 1);
    this.ref(s, p, -1);
  }

  /** How many lock calls hold or wait on path `r` (a client naming a path twice counts twice). */
  private users(s: NsState, r: number): number {
    let n = 0;
    s.clients.forEach((cl, c) => {
      if (cl.phase === IDLE) return;
      const paths = this.op(s, c).paths.map((p) => this.res(p));
      const upto = cl.phase === HOLDING ? paths.length : cl.at + 1;
      n += paths.slice(0, upto).filter((x) => x === r).length;
    });
    return n;
  }

  private exclusion(s: NsState): string | null {
    for (const [r, l] of s.locks.entries()) {
      if (l.w.length > 1 || (l.w.length && l.r.length)) return `${this.cfg.resources[r]}: ${l.w.map(name).join(' and ')} write${l.w.length > 1 ? '' : 's'}${l.r.length ? ` while ${l.r.map(name).join(', ')} read` : ''}`;
    }
    return null;
  }

  private leaks(s: NsState): string | null {
    for (const [r, l] of s.locks.entries()) {
      const n = this.users(s, r), ref = Math.max(l.ref, 0);
      if (ref !== n) return `${this.cfg.resources[r]}: the entry's refcount is ${l.ref < 0 ? 'absent' : ref} but ${n} lock call${n === 1 ? '' : 's'} hold or wait on it`;
    }
    return null;
  }

  private allOrNothing(s: NsState): string | null {
    for (const [c, cl] of s.clients.entries()) {
      const held = s.locks.reduce((n, l) => n + [...l.w, ...l.r].filter((x) => x === c).length, 0);
      const want = cl.phase === HOLDING ? this.op(s, c).paths.length : cl.phase === WAITING ? cl.at : 0;
      if (held !== want) return `${name(c)} ${cl.phase === HOLDING ? `returned holding ${this.op(s, c).text}` : cl.phase === IDLE ? 'returned' : 'waits'} but holds ${held} lock${held === 1 ? '' : 's'}, not ${want}`;
    }
    return null;
  }

  stuck(s: NsState): string | null {
    const waiting = s.clients.flatMap((cl, c) => (cl.phase === WAITING ? [`${name(c)} waits for ${this.op(s, c).paths[cl.at]} (${this.op(s, c).text})`] : []));
    return waiting.length ? `nothing can move: ${waiting.join('; ')}` : null;
  }

  encode(s: NsState, e: Encoder): void { encodeJson(s, e); }
  decode(b: Uint8Array): NsState { return decodeJson(b); }

  describe(s: NsState, a: NsAction): string {
    const cl = s.clients[a.c], op = this.op(s, a.c), mode = op.write ? 'write' : 'read';
    switch (a.k) {
      case 'lock': return `${name(a.c)} lock ${op.paths.join(' ')} ${mode}`;
      case 'acquire': return `${name(a.c)} acquires ${op.paths[cl.at]} ${mode}`;
      case 'timeout': return `${name(a.c)} times out on ${op.paths[cl.at]}`;
      case 'unlock': return `${name(a.c)} unlock ${op.paths.join(' ')} ${mode}`;
    }
  }

  actionKind(a: NsAction): string { return a.k; }
  actionKinds(): readonly string[] { return this.cfg.timeout ? ['lock', 'acquire', 'timeout', 'unlock'] : ['lock', 'acquire', 'unlock']; }

  view(s: NsState): DesignView {
    const v = new Map<string, string>();
    s.locks.forEach((l, r) => {
      const p = this.cfg.resources[r];
      v.set(`lock ${p}`, l.w.length ? `w ${l.w.map(name).join(' ')}` : l.r.length ? `r ${l.r.map(name).join(' ')}` : 'free');
      v.set(`entry ${p}`, l.ref < 0 ? 'none' : `ref ${l.ref}`);
    });
    s.clients.forEach((cl, c) => {
      const ops = this.cfg.clients[c];
      const failed = cl.failed ? ` (${cl.failed} timed out)` : '';
      v.set(name(c), cl.pc === ops.length ? `done${failed}`
        : cl.phase === IDLE ? `idle, next ${ops[cl.pc].text}${failed}`
        : cl.phase === WAITING ? `waits for ${ops[cl.pc].paths[cl.at]} (${ops[cl.pc].text})${failed}`
        : `holds ${ops[cl.pc].text}${failed}`);
    });
    return v;
  }
}

export const minioNslock: Design = {
  id: 'minio-nslock',
  title: 'MinIO namespace lock map (single node)',
  sources: ['minio/minio cmd/namespace-lock.go (NSLockMap.lock, NSLockMap.unlock, NewNSLock, localLockInstance.GetLock/GetRLock/Unlock), at 04840b97'],
  summary: 'A process-local map from volume/path to a refcounted RW mutex, guarded by one map mutex. A lock call bumps the refcount before it blocks and drops it when its wait fails or it unlocks, deleting the entry at 0. A request for several paths sorts them (NewNSLock) and takes them one at a time, each with a timeout; on a timeout it releases those it took and fails.',
  simplifications: [
    'A timeout is a choice a waiting call may make at any point: the model does not count time, so it covers every timeout value (config timeout: false is Lock() with no timeout).',
    'The map mutex makes each map update atomic; the model makes each action atomic, the same thing at this grain.',
    'LRWMutex is modelled as a plain RW mutex with no fairness: a waiting call may acquire whenever the mutex allows it.',
    'sort_paths: false drops NewNSLock\'s sort, to show what the sort buys; MinIO always sorts.',
  ],
  properties: [
    { name: 'mutual_exclusion', description: 'No path has a writer together with readers (or two writers).' },
    { name: 'no_leaked_entry', description: 'A path has a map entry exactly when lock calls hold or wait on it, and its refcount is their number.' },
    { name: 'all_or_nothing', description: 'A multi-path request that has returned holds all its paths (granted) or none (timed out).' },
    { name: 'stuck', description: 'Some call waits and no action can move (a deadlock).' },
  ],
  model: (config) => new MinioNslockModel(readConfig(config)) as unknown as DesignModel<unknown, unknown>,
};
