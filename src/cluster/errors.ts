// A step the protocol (or mdslock's model of it) cannot take: bad scenario input, reported at
// the step that asked for it. Not an MDS abort (MDSAssertion), and not a simulator bug.
export class ImpossibleStep extends Error {}
