// The rustfs-fastlock properties, judged against the ground truth (which clients hold what, the
// other tasks a config starts with) rather than against the state word itself.
import type { Property } from '../../Model.js';
import { clientName, type Flat } from '../kit/flat.js';
import type { FastlockModel } from './model.js';
import { EXISTS, GHOST, G_READERS_WRAPPED, G_RWAIT_SATURATED, G_WWAIT_SATURATED, HELD, HOLD, PARKED, PC, PHASE, READERS, RWAIT, WRITER, WWAIT, clientAt, keyAt } from './state.js';

export const FASTLOCK_PROPERTIES = [
  { name: 'mutual_exclusion', description: 'A key held for write has no other holder (client or other reader).' },
  { name: 'all_or_nothing', description: 'A client outside a batch acquisition holds all of its batch (while holding) or none of it.' },
  { name: 'field_bounds', description: 'No increment of the state word is lost to a field\'s width (the reader count wrapping, a waiting count saturating).' },
  { name: 'no_leaked_entry', description: 'A shard entry whose word shows a holder or a waiter has one: no entry locked or waited on by nobody.' },
  { name: 'stuck', description: 'No waiter waits for what only a timeout ends: a state only ticks and timeouts would change while a client waits is stuck.' },
] as const;

export function fastlockProperties(m: FastlockModel): Property<Flat>[] {
  const c = m.cfg;
  return [
    {
      name: 'mutual_exclusion',
      check: (s) => {
        for (let k = 0; k < c.keys.length; k++) {
          const h = m.holders(s, k);
          const others = c.readersStart.get(k) ?? 0;
          if (h.writers.length > 1) return `${c.keys[k]} written by ${h.writers.map(clientName).join(' and ')}`;
          if (h.writers.length === 1 && (h.readers.length || others)) return `${c.keys[k]} written by ${clientName(h.writers[0])} while read by ${h.readers.map(clientName).concat(others ? [`${others} others`] : []).join(', ')}`;
        }
        return null;
      },
    },
    {
      name: 'all_or_nothing',
      check: (s) => {
        for (let ci = 0; ci < c.clients.length; ci++) {
          const co = clientAt(c, ci), ph = s[co + PHASE];
          const op = c.clients[ci].ops[s[co + PC]];
          if (!op?.batch) continue;
          const all = op.items.reduce((acc, it) => acc | (1 << it.key), 0);
          const held = s[co + HELD];
          if (ph === HOLD && held !== all) return `${clientName(ci)} holds part of its batch (${op.items.filter((it) => held & (1 << it.key)).map((it) => c.keys[it.key]).join(' ')}) after it failed`;
          if (ph !== HOLD && held & ~all) return `${clientName(ci)} holds keys outside its batch`;
        }
        return null;
      },
    },
    {
      name: 'field_bounds',
      check: (s) => {
        for (let k = 0; k < c.keys.length; k++) {
          const g = s[keyAt(k) + GHOST];
          if (g & G_READERS_WRAPPED) return `${c.keys[k]}: the ${c.readerBits}-bit reader count wrapped to ${s[keyAt(k) + READERS]} (the add carried into readers_waiting)`;
          if (g & G_RWAIT_SATURATED) return `${c.keys[k]}: readers_waiting saturated at 65535 and lost a waiter (${s[keyAt(k) + RWAIT]})`;
          if (g & G_WWAIT_SATURATED) return `${c.keys[k]}: writers_waiting saturated at 65535 and lost a waiter (${s[keyAt(k) + WWAIT]})`;
        }
        return null;
      },
    },
    {
      name: 'no_leaked_entry',
      check: (s) => {
        for (let k = 0; k < c.keys.length; k++) {
          const o = keyAt(k);
          if (!s[o + EXISTS]) continue;
          const h = m.holders(s, k);
          const readers = h.readers.length + (c.readersStart.get(k) ?? 0);
          let rw = c.readersWaitingStart.get(k) ?? 0, ww = c.writersWaitingStart.get(k) ?? 0;
          for (let ci = 0; ci < c.clients.length; ci++) {
            if (s[clientAt(c, ci) + PHASE] !== PARKED) continue;
            const it = m.item(s, ci)!;
            if (it.key === k) { if (it.mode === 'write') ww++; else rw++; }
          }
          if (s[o + WRITER] && !h.writers.length) return `${c.keys[k]}: the word has the writer bit but no client writes`;
          if (s[o + READERS] > 0 && readers === 0) return `${c.keys[k]}: the word counts ${s[o + READERS]} reader(s) but nobody reads (the entry stays locked forever)`;
          if (s[o + RWAIT] > 0 && rw === 0) return `${c.keys[k]}: the word counts ${s[o + RWAIT]} waiting reader(s) but nobody waits`;
          if (s[o + WWAIT] > 0 && ww === 0) return `${c.keys[k]}: the word counts ${s[o + WWAIT]} waiting writer(s) but nobody waits`;
        }
        return null;
      },
    },
  ];
}
