/**
 * capsim view in a real headless Chromium (see browser.ts): the bank example, stepped to the
 * crank where the bank fires its teller — the teller's capability and the bank's grant are
 * drawn removed and gone from the teller's c-list — then back, where they return; the power
 * pulled and the restart's summary shown; a link that opens the same moment; a capability's
 * revoke preview; play and pause from the keyboard; and a static export opened from file://.
 * No test may leave an error or warning in the browser's console.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import { exportRecording } from '../../../tools/view/export.ts';
import { frameAt } from '../../../tools/view/frame.ts';
import { Recording } from '../../../tools/view/recording.ts';
import { serve, type ViewServer } from '../../../tools/view/server.ts';
import type { TimelineSpec } from '../../../tools/view/timeline-spec.ts';
import { Timelines } from '../../../tools/view/timelines.ts';
import { atPosition, launch, openPage, screenshot } from './browser.ts';

const bank = EXAMPLES['bank'];
if (bank === undefined) throw new Error('no bank example');
const BASE: Omit<TimelineSpec, 'pulls'> = { spec: bank, seed: 1, model: 'explicit', syncEvery: 4, checkpointEvery: 100, positions: 620, keyframeEvery: 100 };

let browser: Browser;
let server: ViewServer;
/** The position whose crank fires the teller, found from the recording itself. */
let firing = 0;
let exportDir = '';

beforeAll(async () => {
  const rec = await Recording.record({ ...BASE, pulls: [] });
  for (let pos = 1; pos <= rec.last && firing === 0; pos++) if (rec.positions[pos]?.kind === 'crank' && frameAt(rec, pos).events.some((e) => e.includes('revoke slot'))) firing = pos;
  expect(firing).toBeGreaterThan(0);
  [browser, server] = await Promise.all([launch(), serve({ timelines: new Timelines(BASE) })]);
  exportDir = await mkdtemp(join(tmpdir(), 'capsim-view-export-'));
  await exportRecording(await Recording.record({ ...BASE, positions: 60, pulls: [{ at: 30, keep: 0 }] }), exportDir);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (exportDir) await rm(exportDir, { recursive: true, force: true });
});

interface DrawnEdge {
  id: string;
  classes: string[];
}

function drawnEdges(page: Page): Promise<DrawnEdge[]> {
  return page.evaluate(() => {
    const cy = (window as unknown as { capsimView: { cy: { edges(): { map<T>(f: (e: { id(): string; classes(): string[] }) => T): T[] } } } }).capsimView.cy;
    return cy.edges().map((e) => ({ id: e.id(), classes: e.classes() }));
  });
}

/** The teller's c-list as the processes panel shows it: one "slot name kind target rights badge" line per row. */
async function tellerClist(page: Page): Promise<string[]> {
  return page.locator('.proc[data-pid="3"] table.clist tr').evaluateAll((rows) => rows.slice(1).map((r) => (r.textContent ?? '').trim()));
}

describe('capsim view in Chromium', () => {
  it("steps to the teller's firing and sees its capabilities removed, steps back and sees them return", async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}#pos=${firing - 1}`);
    await atPosition(page, firing - 1);
    const before = await drawnEdges(page);
    expect(before.map((e) => e.id)).toContain('e3:2');
    expect(await tellerClist(page)).toContainEqual(expect.stringMatching(/^2bankendpoint5rw-7$/));

    await page.keyboard.press('ArrowRight');
    await atPosition(page, firing);
    const after = await drawnEdges(page);
    expect(after.map((e) => e.id)).not.toContain('e3:2');
    expect(after.filter((e) => e.classes.includes('removed'))).toHaveLength(2);
    await expect.poll(() => page.locator('#changes').textContent()).toContain('0 edge(s) added, 2 removed');
    expect((await tellerClist(page)).some((row) => row.includes('bank'))).toBe(false);
    expect(page.url()).toContain(`#pos=${firing}`);
    await screenshot(page, 'view-teller-fired');

    await page.keyboard.press('ArrowLeft');
    await atPosition(page, firing - 1);
    expect((await drawnEdges(page)).map((e) => e.id)).toContain('e3:2');
    expect(await tellerClist(page)).toContainEqual(expect.stringMatching(/^2bankendpoint5rw-7$/));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pulls the power, restarts, and shows the restart summary on a new branch that a link reopens', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}#pos=3`);
    await atPosition(page, 3);
    await page.fill('#keep', '0');
    await page.click('#pull');
    await atPosition(page, 4);
    const box = page.locator('#restart');
    await expect.poll(() => box.isVisible()).toBe(true);
    const text = (await box.textContent()) ?? '';
    expect(text).toContain('power lost');
    expect(text).toContain('restarted: boot #2');
    expect(text).toContain('restored (2)');
    expect(text).toContain('ok  I1 durability');
    // After three cranks the teller's key was in an unsynced commit: the restart lost it.
    expect((await drawnEdges(page)).filter((e) => e.classes.includes('removed')).length).toBeGreaterThan(0);
    expect(page.url()).toContain('pulls=3%3A0');
    expect(await page.locator('#branches a').count()).toBe(2);
    await screenshot(page, 'view-restart');

    const again = await openPage(browser);
    await again.page.goto(page.url());
    await atPosition(again.page, 4);
    expect(await again.page.locator('#restart').textContent()).toContain('restarted: boot #2');
    expect([...errors, ...again.errors]).toEqual([]);
    await again.page.close();
    await page.close();
  });

  it('shows a clicked capability\'s derivation subtree and what a revoke would remove', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}#pos=10`);
    await atPosition(page, 10);
    // The bank's teller grant (p1 slot 5): the teller's key is derived from it.
    const at = await page.evaluate(() => {
      const cy = (window as unknown as { capsimView: { cy: { getElementById(id: string): { renderedMidpoint(): { x: number; y: number } } } } }).capsimView.cy;
      const box = document.getElementById('graph')?.getBoundingClientRect();
      const mid = cy.getElementById('e1:5').renderedMidpoint();
      return { x: (box?.left ?? 0) + mid.x, y: (box?.top ?? 0) + mid.y };
    });
    await page.mouse.click(at.x, at.y);
    const panel = page.locator('#cap-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('capability p1 slot 5');
    expect(text).toContain('p3 slot 2');
    expect(text).toContain('revoke would remove 1 capability');
    const revoked = (await drawnEdges(page)).filter((e) => e.classes.includes('revoke')).map((e) => e.id);
    expect(revoked).toEqual(['e3:2']);
    await screenshot(page, 'view-revoke-preview');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('plays and pauses with the space bar, and the slider jumps', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}#pos=0`);
    await atPosition(page, 0);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => ((window as unknown as { capsimView: { frame: { pos: number } } }).capsimView.frame.pos) >= 3);
    await page.keyboard.press('Space');
    const stopped = await page.evaluate(() => (window as unknown as { capsimView: { frame: { pos: number } } }).capsimView.frame.pos);
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { capsimView: { frame: { pos: number } } }).capsimView.frame.pos)).toBeLessThanOrEqual(stopped + 1);
    await page.locator('#slider').fill('500');
    await atPosition(page, 500);
    expect(await page.locator('#where').textContent()).toContain('position 500 / 620');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a static export from file:// with no server, steps it, and shows its restart', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${pathToFileURL(join(exportDir, 'index.html')).href}#pos=30`);
    await atPosition(page, 30);
    await page.keyboard.press('ArrowRight');
    await atPosition(page, 31);
    expect(await page.locator('#restart').textContent()).toContain('restarted: boot #2');
    expect(await page.locator('#pull-box').isHidden()).toBe(true);
    expect(await page.locator('.proc').count()).toBe(2);
    await screenshot(page, 'view-export');
    expect(errors).toEqual([]);
    await page.close();
  });
});
