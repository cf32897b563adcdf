// I9 determinism: the same steps from the same seed print the same trace. `runTraced` replays
// a run on a fresh, traced cluster and returns its printed trace; it is run twice.
import { violation, type Violation } from './violation.js';

export function checkDeterminism(runTraced: () => string): Violation | null {
  const a = runTraced();
  const b = runTraced();
  if (a === b) return null;
  const la = a.split('\n');
  const lb = b.split('\n');
  let i = 0;
  while (i < la.length && la[i] === lb[i]) i++;
  return violation('I9', [], `two replays differ first at trace line ${i + 1}: '${la[i] ?? '(end)'}' vs '${lb[i] ?? '(end)'}'`);
}
