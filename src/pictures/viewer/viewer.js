// mdslock sequence-chart viewer: reads the run embedded in this page (#meta, #events, #end) and
// draws it. A lane per rank and client; a row per event: a message as an arrow where it is
// delivered, a Locker line, request or lease event as a mark on its rank's lane, a step as a
// band, expectations and violations as coloured rows. The panel shows the state after the
// current step: every lock copy on every rank, the messages in flight, the wait-for graph.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const meta = JSON.parse($('meta').textContent);
  const events = $('events').textContent.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const end = JSON.parse($('end').textContent);
  const SVGNS = 'http://www.w3.org/2000/svg';
  const LANE_W = 104, LEFT = 28, ROW_H = 19, BAND_H = 24, CHAR_W = 7.3;
  const lanes = meta.lanes;
  const laneX = (name) => LEFT + LANE_W / 2 + lanes.indexOf(name) * LANE_W;
  const chartW = LEFT + lanes.length * LANE_W;
  const textX = chartW + 10;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

  // ---- the run, by step: rows to draw, lock changes, waits, messages sent and delivered ----
  const steps = [{ index: 0, text: 'the start', at: meta.file, comment: '', rows: [] }];
  const lockDiffs = [[]];
  const waitsAt = [null];
  const rows = [];
  for (const e of events) {
    if (e.type === 'step') {
      steps.push({ index: e.index, text: e.text, at: e.at, comment: e.comment || '', rows: [] });
      lockDiffs.push([]);
      waitsAt.push(null);
    }
    const k = steps.length - 1;
    if (e.type === 'state') lockDiffs[e.step].push(...e.locks);
    else if (e.type === 'waits') waitsAt[e.step] = e;
    else if (e.type !== 'send') { const row = { e, step: k, i: rows.length }; rows.push(row); steps[k].rows.push(row); }
    e.step$ = k;
  }
  const last = steps.length - 1;

  /** The lock prints after step k (rank -> name -> print), and the keys step k changed. */
  function locksAt(k) {
    const m = new Map();
    for (let j = 0; j <= k; j++) for (const l of lockDiffs[j]) m.set(`${l.rank}\t${l.name}`, l);
    return { all: m, changed: new Set(k > 0 ? lockDiffs[k].map((l) => `${l.rank}\t${l.name}`) : []) };
  }
  /** Messages sent and not yet delivered at the end of step k (a duplicate's original stays; a failed rank's are lost). */
  function inFlightAt(k) {
    const q = [];
    for (const e of events) {
      if (e.step$ > k) break;
      if (e.type === 'send') q.push(e);
      else if (e.type === 'mds' && e.what.startsWith('failed')) {
        // a rank failing loses every message in flight to or from it
        for (let i = q.length - 1; i >= 0; i--) if (q[i].message.from === e.rank || q[i].message.to === e.rank) q.splice(i, 1);
      }
      else if (e.type === 'deliver' && !e.duplicate) {
        const key = JSON.stringify(e.message);
        const i = q.findIndex((s) => JSON.stringify(s.message) === key);
        if (i >= 0) q.splice(i, 1);
      }
    }
    return q;
  }
  function waitsFor(k) { for (let j = k; j >= 0; j--) if (waitsAt[j]) return waitsAt[j]; return null; }

  // ---- the page ----
  const problems = end.problems.map((p) => `<li>${esc(`${p.at}: ${p.text}`)}</li>`).join('');
  document.body.insertAdjacentHTML('beforeend', `
<header>
  <h1><span class="verdict ${esc(end.verdict)}">${esc(end.verdict.toUpperCase())}</span>${esc(meta.name)}</h1>
  <div class="sub">${esc(meta.file)} · seed ${esc(meta.seed)}${meta.rules ? ` · historical rules: ${esc(meta.rules.join(', '))}` : ''} · ${rows.filter((r) => r.e.type === 'deliver').length} messages delivered, ${last} steps</div>
  <div class="legend"><span class="lg-locker">●</span> a Locker line <span class="lg-request">■</span> a request event <span class="lg-lease">◆</span> a client lease event <span class="lg-mds">▲</span> a rank failing or recovering <span class="lg-arrow">⟶</span> a message, where it is delivered <span class="lg-ok">✓</span><span class="lg-bad">✗</span> an expectation</div>
  ${problems ? `<ul class="problems">${problems}</ul>` : ''}
  ${meta.about ? `<details><summary>About this scenario</summary><pre>${esc(meta.about)}</pre></details>` : ''}
</header>
<div id="toolbar">
  <button id="first" title="the start (Home)">|◀</button><button id="prev" title="previous step (← or k)">◀</button>
  <span id="step-label"></span>
  <button id="next" title="next step (→ or j)">▶</button><button id="last" title="the last step (End)">▶|</button>
  <input id="filter" type="search" placeholder="filter: ifile /d, lockack, client.4102…" title="show only events whose line contains this text">
  <label>lane <select id="lane"><option value="">all</option>${lanes.map((l) => `<option>${esc(l)}</option>`).join('')}</select></label>
  <label><input id="only" type="checkbox"> current step only</label>
  <button id="fold" title="fold every step but the current">fold others</button><button id="unfold">unfold all</button>
  <span class="keys">← → step · click a row to go to its step · ▸ folds a step</span>
</div>
<main>
  <section id="chart"><div id="lanes"></div><svg id="chart-svg"></svg></section>
  <aside id="panel">
    <div id="step-info"></div>
    <h2>Messages in flight</h2><div id="inflight"></div>
    <h2>Wait-for graph</h2><div id="waits"></div>
    <h2>Locks after this step</h2><label><input id="moved" type="checkbox"> only locks not as they started</label><div id="locks"></div>
  </aside>
</main>`);

  $('lanes').style.width = `${textX + 600}px`;
  $('lanes').innerHTML = lanes.map((l) => `<span class="lane${l.startsWith('client.') ? ' client' : ''}" style="left:${laneX(l)}px">${esc(l)}</span>`).join('');

  let current = 0;
  const folded = new Set();

  /** Whether a row passes the filter and the lane choice. */
  function shown(row) {
    const e = row.e;
    if (e.type === 'step') return true;
    if ($('only').checked && row.step !== current) return false;
    if (folded.has(row.step)) return false;
    const lane = $('lane').value;
    if (lane) {
      const ends = e.type === 'deliver' ? [e.message.from, e.message.to] : e.rank ? [e.rank] : null;
      if (ends && !ends.includes(lane)) return false;
    }
    const f = $('filter').value.trim().toLowerCase();
    return !f || rowText(e).toLowerCase().includes(f);
  }

  function rowText(e) {
    switch (e.type) {
      case 'check': return e.pass ? `✓ ${e.what}: ${e.actual}` : `✗ ${e.what}: expected ${e.expected}, got ${e.actual}`;
      case 'violation': return `VIOLATION ${e.message}`;
      default: return e.text;
    }
  }

  /** The short label an arrow carries: the lock action, the peer or cap op, else the kind. */
  function arrowLabel(m) {
    if (m.kind === 'lock') return `${m.action} ${m.lock}`;
    if (m.kind === 'peer' || m.kind === 'caps' || m.kind === 'client_request') return `${m.kind === 'caps' ? 'cap ' : ''}${m.op}`;
    if (m.kind === 'lease') return `lease ${m.action}`;
    if (m.kind === 'rejoin') return `rejoin ${m.op}`;
    if (m.kind === 'export') return `export ${m.op}${m.phase ? ` ${m.phase}` : ''}`;
    return m.kind;
  }

  function drawRow(row, y) {
    const e = row.e, h = e.type === 'step' ? BAND_H : ROW_H, mid = y + h / 2;
    const cls = e.type === 'step' ? 'band' : e.type === 'check' ? `check ${e.pass ? 'pass' : 'fail'}` : e.type === 'violation' ? 'violation' : `ev-${e.type}`;
    let g = `<g class="row ${cls}" data-step="${row.step}" data-i="${row.i}"><rect class="bg" x="0" y="${y}" width="100%" height="${h}"/>`;
    if (e.type === 'step') {
      const s = steps[row.step];
      const n = s.rows.length - 1;
      g += `<text class="fold" x="8" y="${mid + 4}">${folded.has(row.step) ? '▸' : '▾'}</text>`;
      g += `<text x="${LEFT}" y="${mid + 4}">[${s.index}] ${esc(s.text)}</text>`;
      g += `<title>${esc(s.at)}</title>`;
      if (folded.has(row.step) && n) g += `<text class="dim" x="${textX}" y="${mid + 4}">${n} event${n === 1 ? '' : 's'} folded</text>`;
    } else if (e.type === 'deliver') {
      const x1 = laneX(e.message.from), x2 = laneX(e.message.to);
      if (x1 === x2) g += `<path class="arrow${e.duplicate ? ' dup' : ''}" d="M${x1} ${y + 3} h24 v${h - 6} h-22" marker-end="url(#head)"/>`;
      else g += `<line class="arrow${e.duplicate ? ' dup' : ''}" x1="${x1}" y1="${mid + 3}" x2="${x2 + (x2 > x1 ? -3 : 3)}" y2="${mid + 3}" marker-end="url(#head)"/>`;
      g += `<text class="arrow-label" x="${(x1 + x2) / 2 + (x1 === x2 ? 30 : 0)}" y="${mid}" text-anchor="${x1 === x2 ? 'start' : 'middle'}">${esc(arrowLabel(e.message))}</text>`;
      g += `<text x="${textX}" y="${mid + 4}">${esc(e.text)}${e.duplicate ? ' (duplicate)' : ''}</text>`;
    } else if (e.type === 'locker' || e.type === 'request' || e.type === 'lease' || e.type === 'mds') {
      const x = laneX(e.rank);
      g += e.type === 'locker' ? `<circle class="mark-locker" cx="${x}" cy="${mid}" r="4.5"/>`
        : e.type === 'request' ? `<rect class="mark-request" x="${x - 4}" y="${mid - 4}" width="8" height="8"/>`
          : e.type === 'lease' ? `<path class="mark-lease" d="M${x} ${mid - 5} l5 5 l-5 5 l-5 -5z"/>`
            : `<path class="mark-mds" d="M${x - 5} ${mid + 4} l5 -9 l5 9z"/>`;
      g += `<text x="${textX}" y="${mid + 4}">${esc(e.text)}</text>`;
    } else {
      g += `<text x="8" y="${mid + 4}">${e.type === 'check' ? (e.pass ? '✓' : '✗') : '!'}</text><text x="${textX}" y="${mid + 4}">${esc(rowText(e))}</text>`;
    }
    if (e.type !== 'step') g += `<title>${esc(rowText(e))}</title>`;
    return { svg: g + '</g>', h, w: textX + (e.type === 'step' ? 30 : rowText(e).length) * CHAR_W };
  }

  function render() {
    let y = 4, w = textX + 600, body = '';
    for (const row of rows) {
      if (!shown(row)) continue;
      const r = drawRow(row, y);
      body += r.svg; y += r.h; w = Math.max(w, r.w);
    }
    const h = y + 20;
    const lifelines = lanes.map((l) => `<line class="lifeline" x1="${laneX(l)}" y1="0" x2="${laneX(l)}" y2="${h}"/>`).join('');
    const svg = $('chart-svg');
    svg.setAttribute('width', w); svg.setAttribute('height', h);
    svg.innerHTML = `<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#2f5fb3"/></marker></defs>${lifelines}${body}`;
    $('lanes').style.width = `${w}px`;
    mark();
  }

  /** Highlight the current step's rows (no redraw: a class per row). */
  function mark() {
    for (const g of $('chart-svg').querySelectorAll('.row')) g.classList.toggle('current', Number(g.dataset.step) === current);
  }

  function panel() {
    const s = steps[current];
    $('step-label').textContent = `step ${current} of ${last}`;
    $('step-info').innerHTML = `<div class="title">[${s.index}] ${esc(s.text)}</div><div class="at">${esc(s.at)}</div>${s.comment ? `<pre>${esc(s.comment)}</pre>` : ''}`;

    const { all, changed } = locksAt(current);
    const start = locksAt(0).all;
    const byRank = new Map();
    for (const [key, l] of all) {
      if ($('moved').checked && start.get(key)?.print === l.print) continue;
      if (!byRank.has(l.rank)) byRank.set(l.rank, []);
      byRank.get(l.rank).push(`<tr class="${changed.has(key) ? 'changed' : ''}" data-rank="${esc(l.rank)}" data-lock="${esc(l.name)}"><td class="name">${esc(l.name)}</td><td class="print">${esc(l.print)}</td></tr>`);
    }
    $('locks').innerHTML = byRank.size ? [...byRank].map(([r, trs]) => `<h3>${esc(r)}</h3><table>${trs.join('')}</table>`).join('') : '<div class="none">every lock as it started</div>';

    const q = inFlightAt(current);
    $('inflight').innerHTML = q.length ? `<ul>${q.map((e) => `<li>${esc(e.text)}</li>`).join('')}</ul>` : '<div class="none">none</div>';

    const w = waitsFor(current);
    $('waits').innerHTML = w && w.waits.length ? waitGraph(w) + `<ul>${w.waits.map((x) => `<li>${esc(x.request)}${x.peer ? ' (peer)' : ''} waits: ${esc(x.on)}${x.blockers.map((b) => `<br>↳ ${esc(b.text)}`).join('')}</li>`).join('')}</ul>${w.deadlocks.map((c) => `<div class="deadlock">deadlock: ${esc([...c, c[0]].join(' → '))}</div>`).join('')}` : '<div class="none">no request waits</div>';
  }

  /** The wait-for graph drawn: requests on a circle, an edge from each to the requests it waits on. */
  function waitGraph(w) {
    const nodes = [...new Set(w.waits.flatMap((x) => [x.request, ...x.blockers.flatMap((b) => b.requests)]))];
    if (nodes.length < 2 || !w.waits.some((x) => x.blockers.some((b) => b.requests.length))) return '';
    const R = 70, cx = 200, cy = 95;
    const at = (n) => { const a = (2 * Math.PI * nodes.indexOf(n)) / nodes.length - Math.PI / 2; return [cx + R * Math.cos(a), cy + R * Math.sin(a)]; };
    let svg = '';
    for (const x of w.waits) {
      for (const to of new Set(x.blockers.flatMap((b) => b.requests))) {
        const [x1, y1] = at(x.request), [x2, y2] = at(to), d = Math.hypot(x2 - x1, y2 - y1) || 1;
        svg += `<line class="edge" x1="${x1 + ((x2 - x1) * 8) / d}" y1="${y1 + ((y2 - y1) * 8) / d}" x2="${x2 - ((x2 - x1) * 10) / d}" y2="${y2 - ((y2 - y1) * 10) / d}" marker-end="url(#whead)"/>`;
      }
    }
    svg += nodes.map((n) => { const [x, y] = at(n); return `<circle class="node" cx="${x}" cy="${y}" r="6"/><text x="${x}" y="${y - 9}" text-anchor="middle">${esc(n)}</text>`; }).join('');
    return `<svg width="400" height="190"><defs><marker id="whead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#b85c00"/></marker></defs>${svg}</svg>`;
  }

  function go(k, scroll = true) {
    current = Math.max(0, Math.min(last, k));
    if ($('only').checked) render(); else mark();
    panel();
    if (scroll) {
      const band = $('chart-svg').querySelector(`.row[data-step="${current}"]`);
      const chart = $('chart');
      if (band) {
        const top = band.getBBox().y;
        if (top < chart.scrollTop || top > chart.scrollTop + chart.clientHeight - 80) chart.scrollTop = Math.max(0, top - 40);
      }
    }
  }

  $('first').onclick = () => go(0);
  $('prev').onclick = () => go(current - 1);
  $('next').onclick = () => go(current + 1);
  $('last').onclick = () => go(last);
  for (const id of ['filter', 'lane', 'only']) $(id).addEventListener('input', render);
  $('moved').addEventListener('input', panel);
  $('fold').onclick = () => { for (let k = 0; k <= last; k++) if (k !== current) folded.add(k); render(); };
  $('unfold').onclick = () => { folded.clear(); render(); };
  $('chart-svg').addEventListener('click', (ev) => {
    const g = ev.target.closest('.row');
    if (!g) return;
    const k = Number(g.dataset.step);
    if (ev.target.classList.contains('fold')) { if (folded.has(k)) folded.delete(k); else folded.add(k); render(); return; }
    go(k, false);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement) { if (ev.key === 'Escape') ev.target.blur(); return; }
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const to = { ArrowRight: current + 1, j: current + 1, ArrowLeft: current - 1, k: current - 1, Home: 0, End: last }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    go(to);
  });

  render();
  go(0);
})();
