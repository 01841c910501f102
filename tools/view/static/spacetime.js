/*
 * The space-time diagram, drawn as ShiViz draws a distributed execution: one vertical lane per
 * process (and one for the world outside), time going down one row per position, each message
 * an arrow from where it was sent to where it was handled. A message a power loss dropped ends
 * in a cross; faults are red dots, starts and restarts green squares, power losses a red line.
 */
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  const LANE_W = 110;
  const ROW_H = 14;
  const TOP = 34;
  const LEFT = 40;
  const COLORS = { send: '#1565c0', call: '#6a1b9a', reply: '#2e7d32', input: '#607d8b', error: '#c62828' };

  function el(svg, tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.appendChild(e);
    return e;
  }

  function draw(svg, w, current) {
    svg.textContent = '';
    const lanes = [{ pid: 0, program: 'outside' }, ...w.lanes];
    const laneX = new Map(lanes.map((l, i) => [l.pid, LEFT + 50 + i * LANE_W]));
    const y = (pos) => TOP + (pos - w.from) * ROW_H;
    const height = y(w.to) + 20;
    svg.setAttribute('width', String(LEFT + 60 + lanes.length * LANE_W));
    svg.setAttribute('height', String(height));
    el(svg, 'defs', {}).innerHTML = Object.entries(COLORS).map(([k, c]) => `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`).join('');
    el(svg, 'rect', { x: 0, y: y(current) - ROW_H / 2, width: '100%', height: ROW_H, fill: '#fff3e0' });
    for (let p = w.from; p <= w.to; p++) if (p % 5 === 0) el(svg, 'text', { x: 4, y: y(p) + 4, 'font-size': 9, fill: '#90a4ae' }, String(p));
    for (const l of lanes) {
      const x = laneX.get(l.pid);
      el(svg, 'text', { x, y: 14, 'text-anchor': 'middle', 'font-size': 10, 'font-weight': 'bold' }, l.pid ? `p${l.pid} ${l.program}` : 'outside');
      el(svg, 'line', { x1: x, y1: TOP - 10, x2: x, y2: height - 6, stroke: l.pid ? '#b0bec5' : '#eceff1', 'stroke-width': 2 });
    }
    for (const p of w.powerLosses) {
      el(svg, 'line', { x1: LEFT, y1: y(p) - ROW_H / 2, x2: '100%', y2: y(p) - ROW_H / 2, stroke: '#c62828', 'stroke-dasharray': '6 3', 'stroke-width': 2 });
      el(svg, 'text', { x: LEFT, y: y(p) - ROW_H / 2 - 2, 'font-size': 9, fill: '#c62828' }, 'power lost');
    }
    for (const a of w.arrows) {
      const x1 = laneX.get(a.from);
      const x2 = laneX.get(a.to);
      if (x1 === undefined || x2 === undefined) continue;
      const color = COLORS[a.kind] ? a.kind : 'send';
      const sent = Math.max(a.sent, w.from);
      const end = a.at === null ? null : Math.min(a.at, w.to);
      const y1 = y(sent);
      const y2 = end === null ? y1 + ROW_H : y(end);
      const line = el(svg, 'line', { x1, y1, x2: end === null ? (x1 + x2) / 2 : x2, y2, stroke: COLORS[color], 'stroke-width': 1.4, 'marker-end': end === null ? '' : `url(#arrow-${color})`, class: `msg msg-${a.kind}` });
      el(line, 'title', {}, `${a.kind} ${a.from ? `p${a.from}` : 'outside'} -> p${a.to}, sent at ${a.sent}${a.at === null ? ', lost' : `, handled at ${a.at}`}`);
      if (end === null) el(svg, 'text', { x: (x1 + x2) / 2 - 4, y: y2 + 4, fill: '#c62828', 'font-size': 12 }, '×');
    }
    for (const m of w.marks) {
      const x = laneX.get(m.pid);
      if (x === undefined) continue;
      const shape = m.kind === 'fault' ? el(svg, 'circle', { cx: x, cy: y(m.pos), r: 5, fill: '#c62828', class: 'mark mark-fault' }) : el(svg, 'rect', { x: x - 4, y: y(m.pos) - 4, width: 8, height: 8, fill: m.kind === 'exit' ? '#607d8b' : '#2e7d32', class: `mark mark-${m.kind}` });
      el(shape, 'title', {}, `${m.kind} at ${m.pos}: ${m.text}`);
    }
  }

  window.capsimSpacetime = { draw };
})();
