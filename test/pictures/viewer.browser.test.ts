// The sequence-chart viewer in a real browser (Debian's chromium, driven by playwright-core):
// what a person sees of W3 — a lane per rank and client, an arrow per message delivered, and
// at every step the lock prints the replay has at that step, the messages in flight and the
// wait-for graph — with no console error. A screenshot goes to test-output/.
// Chromium: CHROMIUM_PATH, else /usr/bin/chromium (`apt-get install chromium`; `.ci/run`
// installs it). Without one the test fails saying so, unless MDSLOCK_SKIP_BROWSER=1.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario, type RunEvent } from '../../src/scenario/run.js';
import { lanesOf, writeSequenceHtml } from '../../src/pictures/sequenceHtml.js';
import { printEvent } from '../../src/trace/printEvent.js';

const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = process.env.MDSLOCK_SKIP_BROWSER === '1';
const W3 = 'scenarios/walkthroughs/w3-filelock-sync-to-mix.yaml';

describe.skipIf(skip)('the HTML viewer of W3 in Chromium', () => {
  const s = loadScenario(W3);
  const run = runScenario(s, { state: 'all', waits: true });
  const file = join(mkdtempSync(join(tmpdir(), 'mdslock-viewer-')), 'w3.html');
  writeSequenceHtml(s, {}, file);
  const steps = run.events.filter((e) => e.kind === 'step').length;
  const delivered = run.events.filter((e) => e.kind === 'deliver');
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(executable)) throw new Error(`no Chromium at ${executable}: apt-get install chromium, or set CHROMIUM_PATH (MDSLOCK_SKIP_BROWSER=1 skips this test)`);
    browser = await chromium.launch({ executablePath: executable });
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(resolve(file)).href);
  }, 30_000);
  afterAll(async () => { await browser?.close(); });

  /** The lock prints (and inode caps) the replay lists after step k; an expect step changes none. */
  const replayLocksAt = (k: number): Record<string, string> => {
    const listing = run.events.filter((e): e is Extract<RunEvent, { kind: 'state' }> => e.kind === 'state' && e.index <= k).at(-1)!;
    return Object.fromEntries(listing.lines.map((l) => [`mds.${l.rank} ${l.name}`, l.text]));
  };
  const shownLocks = () => page.$$eval('#locks tr', (trs) => Object.fromEntries(trs.map((tr) => [
    `${(tr as HTMLElement).dataset.rank} ${(tr as HTMLElement).dataset.lock}`, tr.querySelector('.print')!.textContent!,
  ])));

  it('draws a lane per rank and client and an arrow per message delivered, labelled with its action', async () => {
    expect(await page.$$eval('#lanes .lane', (ls) => ls.map((l) => l.textContent))).toEqual(lanesOf(s));
    expect(await page.locator('#chart-svg .arrow').count()).toBe(delivered.length);
    const labels = await page.$$eval('#chart-svg .arrow-label', (ts) => ts.map((t) => t.textContent));
    expect(labels).toContain('reqscatter ifile');
    expect(labels.filter((l) => l === 'mixack ifile')).toHaveLength(2); // W3.5: both replicas ack the mix
    expect(await page.textContent('#step-label')).toBe(`step 0 of ${steps}`);
  });

  it('shows at every step the lock prints the replay has at that step', async () => {
    for (let k = 0; k <= steps; k++) {
      if (k > 0) await page.keyboard.press('ArrowRight');
      expect(await page.textContent('#step-label')).toBe(`step ${k} of ${steps}`);
      expect(await shownLocks(), `step ${k}`).toEqual(replayLocksAt(k));
    }
    await page.keyboard.press('Home');
    expect(await page.textContent('#step-label')).toBe(`step 0 of ${steps}`);
  });

  it('highlights the current step, and shows its comment, the messages in flight and the wait-for graph', async () => {
    await page.click('#next');
    await page.click('#next'); // [2] the replica's request: it waits for the auth's authpin ack
    const current = await page.$$eval('#chart-svg .row.current', (gs) => gs.map((g) => (g as SVGGElement).dataset.step));
    expect(current.length).toBeGreaterThan(1);
    expect(new Set(current)).toEqual(new Set(['2']));
    expect(await page.textContent('#inflight')).toContain('mds.1 -> mds.0 peer_request(client.4102:15 authpin /d)');
    expect(await page.textContent('#waits')).toContain('client.4102:15@mds.1 waits: peer replies from mds.0');
    for (let k = 2; k < 8; k++) await page.keyboard.press('ArrowRight');
    const step8 = run.events.filter((e) => e.kind === 'step')[7] as Extract<RunEvent, { kind: 'step' }>;
    expect(await page.textContent('#step-info')).toContain(step8.comment!.trim().split('\n')[0].trim());
    expect(await page.$$eval('#locks tr.changed', (trs) => trs.map((t) => (t as HTMLElement).dataset.lock))).toEqual(['ifile /d']);
  });

  it('filters the chart by text and by lane', async () => {
    await page.fill('#filter', 'ifile');
    const lines = delivered.map((e) => printEvent(e));
    expect(await page.locator('#chart-svg .arrow').count()).toBe(lines.filter((l) => l.includes('ifile')).length);
    await page.fill('#filter', '');
    await page.selectOption('#lane', 'mds.2');
    expect(await page.locator('#chart-svg .arrow').count()).toBe(delivered.filter((e) => e.kind === 'deliver' && (e.msg.from === 2 || e.msg.to === 2)).length);
    await page.selectOption('#lane', '');
    expect(await page.locator('#chart-svg .arrow').count()).toBe(delivered.length);
  });

  it('logs no console error, and leaves a screenshot', async () => {
    await page.click('#last');
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/viewer-w3.png' });
    expect(existsSync('test-output/viewer-w3.png')).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe.skipIf(skip)('the HTML viewer of a failure in Chromium', () => {
  const s = loadScenario('scenarios/failure/replica-fails-in-mix-to-sync.yaml');
  const file = join(mkdtempSync(join(tmpdir(), 'mdslock-viewer-')), 'f.html');
  writeSequenceHtml(s, {}, file);
  const run = runScenario(s, { state: 'changed' });
  const stepOf = (text: string) => (run.events.find((e) => e.kind === 'step' && e.text === text) as Extract<RunEvent, { kind: 'step' }>).index;

  it('drops the messages a failure loses from those in flight, and labels the rejoins', async () => {
    const browser = await chromium.launch({ executablePath: executable });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(resolve(file)).href);
      for (let k = 0; k < stepOf('fail mds.1'); k++) await page.keyboard.press('ArrowRight');
      // mds.0's SYNC to mds.1 was in flight before the failure; the failure lost it
      expect(await page.textContent('#inflight')).not.toContain('mds.0 -> mds.1 lock(a=sync ifile /d)');
      const labels = await page.$$eval('#chart-svg .arrow-label', (ts) => ts.map((t) => t.textContent));
      expect(labels).toEqual(expect.arrayContaining(['rejoin weak', 'rejoin strong', 'rejoin ack']));
      expect(await page.locator('#chart-svg .mark-mds').count()).toBe(run.events.filter((e) => e.kind === 'mds').length);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
