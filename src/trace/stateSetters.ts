// Functions that set a lock's state outside the Locker's transition edges: migration (a
// lock's state travels with an export or import) and recovery (a rejoin sets replica states,
// a recovering auth infers and chooses its own). Their trace and log lines show a state, not
// an edge: coverage and `mdslock log` take the state and judge no edge.
export const setsStateOutsideEdges = (fn: string): boolean => /import|export|rejoin|choose_lock_state/.test(fn);
