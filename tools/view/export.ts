/**
 * A static copy of a recorded run for a course page: the page and its assets, and every
 * position's frame (and every capability's derivation) written once into data.js, which the
 * page reads instead of a server. It opens from file:// with no server and no network; a
 * static copy cannot record a new branch, so "pull the power" is not offered in it.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ASSETS, readAsset } from './assets.ts';
import { capAt, frameAt, type Frame } from './frame.ts';
import type { Recording } from './recording.ts';
import { summarize } from './timelines.ts';

/** Positions one export may hold: each is a frame in data.js. */
export const EXPORT_POSITIONS_MAX = 5000;

export class ExportError extends Error {}

export async function exportRecording(rec: Recording, dir: string): Promise<{ positions: number; bytes: number }> {
  if (rec.last > EXPORT_POSITIONS_MAX) throw new ExportError(`an export holds at most ${EXPORT_POSITIONS_MAX} positions; this run has ${rec.last}: record fewer cranks`);
  const existing = await readdir(dir).catch(() => null);
  if (existing !== null && existing.length > 0) throw new ExportError(`${dir} is not empty: export into a new or empty folder`);
  await mkdir(join(dir, 'assets'), { recursive: true });
  const frames: Frame[] = [];
  const caps: Record<string, unknown> = {};
  for (let pos = 0; pos <= rec.last; pos++) {
    const frame = frameAt(rec, pos);
    frames.push(frame);
    for (const e of frame.graph.edges) {
      if (e.slot === null) continue;
      const d = capAt(rec, pos, e.from, e.slot);
      if (d !== null) caps[`${pos}:${e.from}:${e.slot}`] = d;
    }
  }
  const data = `window.CAPSIM_EXPORT = ${JSON.stringify({ summary: summarize(rec, false), frames, caps })};\n`;
  await writeFile(join(dir, 'data.js'), data);
  let bytes = data.length;
  for (const name of ASSETS.keys()) {
    const asset = await readAsset(name);
    if (asset === null) continue;
    if (name === 'index.html') {
      const page = asset.body.toString('utf8').replace('<script src="assets/cytoscape.min.js"></script>', '<script src="data.js"></script>\n<script src="assets/cytoscape.min.js"></script>');
      await writeFile(join(dir, 'index.html'), page);
      bytes += page.length;
    } else {
      await writeFile(join(dir, 'assets', name), asset.body);
      bytes += asset.body.length;
    }
  }
  return { positions: rec.last + 1, bytes };
}
