/*
 * capsim view, the page: asks a source (the server's JSON API, or the data of a static
 * export) for the timeline and for the frame at a position, and draws it — the capability
 * graph (Cytoscape.js, each node kept where it was first placed), the processes, the restart
 * summary, the persistence timeline, the space-time diagram and the trace events. The position
 * and the timeline's branch live in the URL's fragment, so a link opens the same moment.
 */
(function () {
  'use strict';

  const exported = window.CAPSIM_EXPORT || null;
  const token = new URLSearchParams(location.search).get('token') || '';
  const source = exported ? staticSource(exported) : serverSource(token);
  const $ = (id) => document.getElementById(id);
  const PLAY_INTERVAL_MS = 350;

  const view = {
    summary: null,
    frame: null,
    pulls: '',
    pos: 0,
    playing: null,
    branches: [''],
    placed: new Map(),
    rows: 0,
    loading: Promise.resolve(),
    cy: null,
  };
  window.capsimView = view;

  function serverSource(secret) {
    const get = async (route, params) => {
      const q = new URLSearchParams(params);
      q.set('token', secret);
      const res = await fetch(`api/${route}?${q}`);
      const body = await res.json();
      if (!res.ok) throw new Error(body.error || `HTTP ${res.status}`);
      return body;
    };
    return {
      timeline: (pulls) => get('timeline', { pulls }),
      frame: (pulls, pos) => get('frame', { pulls, pos }),
      cap: (pulls, pos, pid, slot) => get('cap', { pulls, pos, pid, slot }),
    };
  }

  function staticSource(data) {
    return {
      timeline: async () => data.summary,
      frame: async (_pulls, pos) => {
        const f = data.frames[pos];
        if (!f) throw new Error(`position ${pos} is not in this export`);
        return f;
      },
      cap: async (_pulls, pos, pid, slot) => {
        const c = data.caps[`${pos}:${pid}:${slot}`];
        if (!c) throw new Error('no capability in that slot at that position');
        return c;
      },
    };
  }

  // ---- the URL ---------------------------------------------------------------------------------

  function readHash() {
    const h = new URLSearchParams(location.hash.slice(1));
    return { pos: Number(h.get('pos') || 0), pulls: h.get('pulls') || '' };
  }

  function writeHash() {
    const h = new URLSearchParams();
    h.set('pos', String(view.pos));
    if (view.pulls) h.set('pulls', view.pulls);
    history.replaceState(null, '', `#${h}`);
  }

  // ---- loading ---------------------------------------------------------------------------------

  function showError(err) {
    const box = $('error');
    box.textContent = String(err && err.message ? err.message : err);
    box.hidden = false;
  }

  async function openTimeline(pulls, pos) {
    view.pulls = pulls;
    view.summary = await source.timeline(pulls);
    if (!view.branches.includes(pulls)) view.branches.push(pulls);
    drawHeader();
    $('slider').max = String(view.summary.last);
    $('pull-box').hidden = !view.summary.canPull;
    drawTimeline();
    await go(Math.min(pos, view.summary.last));
  }

  /** Moves to `pos`; calls made while one is loading wait their turn, so frames arrive in order. */
  function go(pos) {
    const target = Math.max(0, Math.min(pos, view.summary ? view.summary.last : 0));
    view.loading = view.loading.then(async () => {
      try {
        const frame = await source.frame(view.pulls, target);
        view.pos = target;
        view.frame = frame;
        draw(frame);
        writeHash();
        $('error').hidden = true;
      } catch (err) {
        showError(err);
        stop();
      }
    });
    return view.loading;
  }

  // ---- drawing ---------------------------------------------------------------------------------

  function drawHeader() {
    const s = view.summary;
    $('system').textContent = `— ${s.system}, seed ${s.seed}, model ${s.model}, sync every ${s.syncEvery}`;
    const box = $('branches');
    box.textContent = 'branches: ';
    for (const b of view.branches) {
      const a = document.createElement('a');
      a.textContent = b === '' ? 'the run' : `power pulled ${b.split(',').map((p) => `after ${p.replace(':', ' keeping ')}`).join(', then ')}`;
      a.className = b === view.pulls ? 'current' : '';
      a.onclick = () => openTimeline(b, view.pos).catch(showError);
      box.appendChild(a);
    }
  }

  function draw(f) {
    $('slider').value = String(f.pos);
    $('where').textContent = `position ${f.pos} / ${f.last} · ${f.kind} · crank clock ${f.clock}`;
    drawGraph(f.graph);
    drawProcesses(f.processes);
    drawRestart(f);
    $('events').textContent = f.events.length ? f.events.join('\n') : '(no trace events)';
    window.capsimSpacetime.draw($('spacetime'), f.spacetime, f.pos);
    // The newest rows are the current position's: keep them in sight.
    $('spacetime-scroll').scrollTop = $('spacetime-scroll').scrollHeight;
    drawTimelineCursor();
    $('cap-panel').hidden = true;
  }

  const KIND_SHAPES = { process: 'round-rectangle', endpoint: 'ellipse', storage: 'barrel', store: 'tag', reply: 'diamond', gatekeeper: 'octagon' };

  /**
   * A place for a node seen for the first time; a node keeps its place for as long as the page
   * is open. A process's store object is renewed by every boot: the new one takes the old one's place.
   */
  function place(n) {
    const key = n.kind === 'store' && n.owner !== null ? `store of ${n.owner}` : n.id;
    let p = view.placed.get(key);
    if (p) return p;
    if (n.kind === 'process') {
      p = { x: 0, y: view.rows++ * 120 };
    } else {
      const owner = n.owner !== null ? view.placed.get(n.owner) : undefined;
      const base = owner || { x: 0, y: view.rows++ * 120 };
      const siblings = [...view.placed.values()].filter((q) => q.ownerY === base.y).length;
      p = { x: 230 + siblings * 160, y: base.y + (siblings % 2) * 36, ownerY: base.y };
    }
    view.placed.set(key, p);
    return p;
  }

  function drawGraph(g) {
    const fresh = view.cy === null;
    if (fresh) {
      view.cy = cytoscape({
        container: $('graph'),
        layout: { name: 'preset' },
        style: [
          { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-wrap': 'wrap', 'text-max-width': 120, 'text-valign': 'center', 'background-color': '#b0bec5', shape: 'data(shape)', width: 110, height: 34 } },
          { selector: 'node[kind = "process"]', style: { 'background-color': '#90caf9' } },
          { selector: 'node[kind = "endpoint"]', style: { 'background-color': '#ffe082' } },
          { selector: 'node[kind = "storage"]', style: { 'background-color': '#c5e1a5' } },
          { selector: 'node.added', style: { 'border-width': 3, 'border-color': '#2e7d32' } },
          { selector: 'node.removed', style: { 'border-width': 2, 'border-style': 'dashed', 'border-color': '#c62828', opacity: 0.5 } },
          { selector: 'edge', style: { label: 'data(label)', 'font-size': 9, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', width: 1.5, 'line-color': '#78909c', 'target-arrow-color': '#78909c', 'text-background-color': '#fff', 'text-background-opacity': 0.8 } },
          { selector: 'edge.added', style: { 'line-color': '#2e7d32', 'target-arrow-color': '#2e7d32', width: 3.5 } },
          { selector: 'edge.removed', style: { 'line-color': '#c62828', 'target-arrow-color': '#c62828', 'line-style': 'dashed', width: 2.5 } },
          { selector: 'edge.revoke', style: { 'line-color': '#ff6f00', 'target-arrow-color': '#ff6f00', width: 4 } },
          { selector: 'edge.picked', style: { 'line-color': '#6a1b9a', 'target-arrow-color': '#6a1b9a', width: 4 } },
        ],
      });
      view.cy.on('tap', 'edge', (e) => showCap(e.target.data()).catch(showError));
      view.cy.on('tap', (e) => {
        if (e.target === view.cy) clearPick();
      });
    }
    const elements = [];
    for (const n of g.nodes) {
      const p = place(n);
      elements.push({ group: 'nodes', data: { id: `n${n.id}`, label: n.label, kind: n.kind, shape: KIND_SHAPES[n.kind] || 'ellipse' }, position: { x: p.x, y: p.y }, classes: n.change || '' });
    }
    for (const e of g.edges) {
      const label = `${e.name ? `${e.name} ` : ''}${e.rights}${e.badge ? ` badge ${e.badge}` : ''}`;
      elements.push({ group: 'edges', data: { id: `e${e.id}`, source: `n${e.from}`, target: `n${e.to}`, label, holder: e.from, slot: e.slot, change: e.change }, classes: e.change || '' });
    }
    view.cy.batch(() => {
      view.cy.elements().remove();
      view.cy.add(elements);
    });
    if (fresh) view.cy.fit(undefined, 30);
    const c = g.changed;
    $('changes').textContent = c === null ? '' : `— since the step before: ${c.nodesAdded} node(s) added, ${c.nodesRemoved} removed; ${c.edgesAdded} edge(s) added, ${c.edgesRemoved} removed; ${c.processes} process(es) changed`;
  }

  function clearPick() {
    view.cy.edges().removeClass('revoke picked');
    $('cap-panel').hidden = true;
  }

  async function showCap(edge) {
    clearPick();
    if (edge.slot === null || edge.slot === undefined) return;
    const d = await source.cap(view.pulls, view.pos, edge.holder, edge.slot);
    view.cy.getElementById(`e${edge.holder}:${edge.slot}`).addClass('picked');
    for (const r of d.revokeRemoves) if (r.holder !== null) view.cy.getElementById(`e${r.holder}:${r.slot}`).addClass('revoke');
    const line = (c) => `${'  '.repeat(Math.max(0, c.depth))}${c.where}: ${c.target} [${c.rights}${c.badge ? ` badge ${c.badge}` : ''}]${c.name ? ` '${c.name}'` : ''}`;
    const panel = $('cap-panel');
    panel.textContent = '';
    const add = (tag, text, cls) => {
      const el = document.createElement(tag);
      el.textContent = text;
      if (cls) el.className = cls;
      panel.appendChild(el);
      return el;
    };
    add('b', `capability ${d.cap.where}`);
    if (d.ancestors.length) add('pre', `derived from:\n${d.ancestors.map(line).join('\n')}`);
    add('pre', `derivation subtree:\n${d.subtree.map(line).join('\n')}${d.truncated ? '\n…' : ''}`);
    add('div', `revoke would remove ${d.revokeRemoves.length} capabilit${d.revokeRemoves.length === 1 ? 'y' : 'ies'}${d.revokeRemoves.length ? ' (orange)' : ''}`, 'revoke-preview');
    panel.hidden = false;
  }

  function drawProcesses(list) {
    const box = $('processes');
    box.textContent = '';
    for (const p of list) {
      const div = document.createElement('div');
      div.className = 'proc';
      div.dataset.pid = String(p.pid);
      const head = document.createElement('div');
      head.className = 'head';
      head.innerHTML = '';
      head.textContent = `p${p.pid} ${p.program} ${p.args} `;
      const st = document.createElement('span');
      st.className = `status-${p.status}`;
      st.textContent = `${p.status} · gen ${p.generation} · queue ${p.queued} · debt ${p.debt}`;
      head.appendChild(st);
      div.appendChild(head);
      const state = document.createElement('pre');
      state.textContent = `state ${p.state}`;
      div.appendChild(state);
      const table = document.createElement('table');
      table.className = 'clist';
      const hr = table.insertRow();
      for (const h of ['slot', 'name', 'kind', 'target', 'rights', 'badge']) {
        const th = document.createElement('th');
        th.textContent = h;
        hr.appendChild(th);
      }
      for (const c of p.clist) {
        const r = table.insertRow();
        for (const v of [c.slot, c.name || '-', c.kind, c.target, c.rights, c.badge]) r.insertCell().textContent = String(v);
      }
      div.appendChild(table);
      if (p.queue.length) {
        const q = document.createElement('pre');
        q.textContent = `queue: ${p.queue.map((m) => `${m.type}${m.from ? ` from p${m.from}` : ''}${m.badge ? ` badge ${m.badge}` : ''}${m.caps ? ` +${m.caps} cap(s)` : ''}`).join('; ')}${p.queued > p.queue.length ? ' …' : ''}`;
        div.appendChild(q);
      }
      box.appendChild(div);
    }
  }

  function drawRestart(f) {
    const box = $('restart');
    const loss = f.persistence.find((e) => e.kind === 'power-loss');
    const s = f.restart;
    if (!s) {
      box.hidden = true;
      return;
    }
    box.textContent = '';
    const h = document.createElement('h3');
    h.textContent = loss ? `power lost (${loss.unsynced} unsynced batch(es), ${Math.min(loss.keep, loss.unsynced)} kept), restarted: boot #${s.bootCount}` : `booted: boot #${s.bootCount}`;
    box.appendChild(h);
    const lines = [];
    if (s.checkpoint) lines.push(`restored from ${s.checkpoint}`);
    lines.push(`lost: ${s.lostCranks === null ? 'unknown' : `${s.lostCranks} crank(s) of work`}${s.keptCommits ? ` (${s.keptCommits} unsynced commit(s) survived)` : ''}`);
    lines.push(`restored (${s.restored.length}):`, ...s.restored.map((r) => `  ${r}`));
    lines.push(`quarantined (${s.quarantined.length})${s.quarantined.length ? ':' : ''}`, ...s.quarantined.map((r) => `  ${r}`));
    if (s.lostRefs.length) lines.push('references to something gone:', ...s.lostRefs.map((r) => `  ${r}`));
    const pre = document.createElement('pre');
    pre.textContent = lines.join('\n');
    box.appendChild(pre);
    const inv = document.createElement('div');
    for (const [k, v] of Object.entries(s.invariants)) {
      const line = document.createElement('div');
      line.textContent = `${v === 'ok' ? 'ok  ' : ''}${k}${v === 'ok' ? '' : `: ${v}`}`;
      if (v !== 'ok' && !v.startsWith('not checked')) line.className = 'bad';
      inv.appendChild(line);
    }
    box.appendChild(inv);
    box.hidden = false;
  }

  // ---- the persistence timeline ----------------------------------------------------------------

  const TICKS = {
    commit: { color: '#b0bec5', y: 26, h: 8 },
    sync: { color: '#1565c0', y: 20, h: 14 },
    checkpoint: { color: '#6a1b9a', y: 8, h: 26 },
    'power-loss': { color: '#c62828', y: 2, h: 40 },
    restart: { color: '#2e7d32', y: 4, h: 36 },
  };

  function xOf(pos, width) {
    const last = Math.max(1, view.summary.last);
    return 6 + (pos / last) * (width - 12);
  }

  function drawTimeline() {
    const svg = $('timeline');
    const width = svg.clientWidth || 800;
    svg.textContent = '';
    const ns = 'http://www.w3.org/2000/svg';
    for (const e of view.summary.events) {
      const kind = e.kind === 'commit' && e.synced ? 'sync' : e.kind;
      const t = TICKS[kind];
      const r = document.createElementNS(ns, 'rect');
      r.setAttribute('x', String(xOf(e.pos, width) - 1));
      r.setAttribute('y', String(t.y));
      r.setAttribute('width', kind === 'commit' ? '1' : '3');
      r.setAttribute('height', String(t.h));
      r.setAttribute('fill', t.color);
      r.setAttribute('class', `tick tick-${kind}`);
      const title = document.createElementNS(ns, 'title');
      title.textContent = `${kind} at position ${e.pos}`;
      r.appendChild(title);
      svg.appendChild(r);
    }
    const cursor = document.createElementNS(ns, 'rect');
    cursor.id = 'timeline-cursor';
    cursor.setAttribute('y', '0');
    cursor.setAttribute('width', '2');
    cursor.setAttribute('height', '46');
    cursor.setAttribute('fill', '#ff6f00');
    svg.appendChild(cursor);
    svg.onclick = (ev) => {
      const box = svg.getBoundingClientRect();
      const pos = Math.round(((ev.clientX - box.left - 6) / (box.width - 12)) * view.summary.last);
      go(pos);
    };
    const counts = {};
    for (const e of view.summary.events) {
      const kind = e.kind === 'commit' && e.synced ? 'sync' : e.kind;
      counts[kind] = (counts[kind] || 0) + 1;
    }
    $('timeline-legend').textContent = Object.keys(TICKS).map((k) => `${k}: ${counts[k] || 0}`).join(' · ') + (view.summary.stoppedEarly ? ` · ${view.summary.stoppedEarly}` : '');
  }

  function drawTimelineCursor() {
    const svg = $('timeline');
    const c = document.getElementById('timeline-cursor');
    if (c) c.setAttribute('x', String(xOf(view.pos, svg.clientWidth || 800) - 1));
  }

  // ---- controls --------------------------------------------------------------------------------

  function stop() {
    if (view.playing !== null) clearInterval(view.playing);
    view.playing = null;
    $('play').textContent = '▶ play';
  }

  function togglePlay() {
    if (view.playing !== null) return stop();
    $('play').textContent = '❚❚ pause';
    view.playing = setInterval(() => {
      if (view.pos >= view.summary.last) return stop();
      go(view.pos + 1);
    }, PLAY_INTERVAL_MS);
  }

  async function pullHere() {
    stop();
    const keep = Math.max(0, Math.floor(Number($('keep').value) || 0));
    const kept = view.pulls ? view.pulls.split(',').filter((p) => Number(p.split(':')[0]) < view.pos) : [];
    kept.push(`${view.pos}:${keep}`);
    await openTimeline(kept.join(','), view.pos + 1);
  }

  $('back').onclick = () => go(view.pos - 1);
  $('step').onclick = () => go(view.pos + 1);
  $('play').onclick = togglePlay;
  $('slider').oninput = () => go(Number($('slider').value));
  $('pull').onclick = () => pullHere().catch(showError);
  document.addEventListener('keydown', (ev) => {
    if (ev.target instanceof HTMLInputElement && ev.target.type !== 'range') return;
    if (ev.key === 'ArrowRight') go(view.pos + 1);
    else if (ev.key === 'ArrowLeft') go(view.pos - 1);
    else if (ev.key === ' ') togglePlay();
    else return;
    ev.preventDefault();
  });
  window.addEventListener('resize', () => {
    if (view.summary) {
      drawTimeline();
      drawTimelineCursor();
    }
  });

  const start = readHash();
  openTimeline(start.pulls, start.pos).catch(showError);
})();
