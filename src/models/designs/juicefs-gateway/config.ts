// The config of the juicefs-gateway design: gateway processes, clients (goroutines) each in one
// gateway with a bounded list of ops, where the local RWMutex lives, the acquire timeout and the
// session expiry in ticks, and whether gateways may crash or stall.
import { DesignConfigError } from '../design.js';
import { bool, choice, int, list, mapping, str } from '../kit/config.js';

export type Mode = 'read' | 'write';
export interface Op { readonly object: number; readonly mode: Mode }
export interface ClientSpec { readonly gateway: number; readonly ops: readonly Op[] }
/**
 * Where the first level's RWMutex lives: `instance` (upstream: a field of the jfsFLock that
 * NewNSLock makes afresh for every call, so no two lockers share it), `process` (one per gateway
 * process, shared by all its lockers), `object` (one per object per gateway process: a map).
 */
export type LocalScope = 'instance' | 'process' | 'object';

export interface GatewayConfig {
  readonly gateways: number;
  readonly objects: readonly string[];
  readonly clients: readonly ClientSpec[];
  readonly local: LocalScope;
  readonly timeoutTicks: number;
  readonly sessionTicks: number;
  readonly crashes: boolean;
  readonly stalls: boolean;
}

const KEYS = ['gateways', 'clients', 'local', 'timeout_ticks', 'session_ticks', 'crashes', 'stalls'];

export function parseConfig(raw: unknown): GatewayConfig {
  const m = mapping(raw, [], KEYS);
  const gateways = int(m, 'gateways', [], 2, 1, 3);
  const names: string[] = [];
  const parsed = list(m, 'clients', [], 1, 4).map((c, i) => {
    const cm = mapping(c, ['clients', i], ['gateway', 'ops']);
    const gateway = int(cm, 'gateway', ['clients', i], 1, 1, gateways) - 1;
    const ops = list(cm, 'ops', ['clients', i], 1, 3).map((o, j) => {
      const t = str(o, ['clients', i, 'ops', j]);
      const mm = /^(read|write) (\/[a-z0-9]+)$/.exec(t.trim());
      if (!mm) throw new DesignConfigError(['clients', i, 'ops', j], `expected "read /object" or "write /object", got "${t}"`);
      if (!names.includes(mm[2])) names.push(mm[2]);
      return { name: mm[2], mode: mm[1] as Mode };
    });
    return { gateway, ops };
  });
  if (names.length > 4) throw new DesignConfigError(['clients'], `at most 4 objects, got ${names.length}`);
  const objects = [...names].sort();
  return {
    gateways, objects,
    clients: parsed.map((p) => ({ gateway: p.gateway, ops: p.ops.map((o) => ({ object: objects.indexOf(o.name), mode: o.mode })) })),
    local: choice(m, 'local', [], 'instance', ['instance', 'process', 'object'] as const),
    timeoutTicks: int(m, 'timeout_ticks', [], 1, 1, 8),
    sessionTicks: int(m, 'session_ticks', [], 1, 0, 8),
    crashes: bool(m, 'crashes', [], false),
    stalls: bool(m, 'stalls', [], false),
  };
}
