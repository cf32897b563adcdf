// A large valid scenario for memory checks: `node --import tsx bench/bigScenario.ts <inodes>
// <ranks> <steps> > big.yaml`. Inodes are spread round-robin over the ranks, each replicated
// on the next rank; the steps are requests taking and dropping an xlock on a replicated inode,
// with every message delivered (four steps per request).
const [inodes, ranks, steps] = process.argv.slice(2).map(Number);
const out: string[] = [`name: big run (${inodes} inodes, ${ranks} ranks, ${steps} steps)`, `ranks: ${ranks}`, 'objects:'];
for (let i = 0; i < inodes; i++) {
  out.push(`  - inode: /f${i}`, '    type: file', `    auth: mds.${i % ranks}`, `    replicas: [mds.${(i + 1) % ranks}]`);
}
out.push('steps:');
for (let k = 0; k < steps / 4; k++) {
  const i = k % inodes;
  out.push(`  - request: client.4101:${k + 1}`, `    on: mds.${i % ranks}`, `    xlock: [iauth /f${i}]`, '  - deliver: all', `  - finish: client.4101:${k + 1}`, '  - deliver: all');
}
process.stdout.write(out.join('\n') + '\n');
