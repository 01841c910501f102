/**
 * A capDL description as subjects for the analysis, as STCC.hs sees it: one subject per TCB,
 * holding every capability in its CSpace (CNode capabilities included, so that shared CNodes
 * show) and the frames mapped in its address space. STCC.hs counts only frames mapped without
 * an ASID or `uncached`; this counts every mapped frame, since either kind can carry data.
 */
import { cspaceOf, tcbsOf, vspaceFramesOf, type CapdlModel, type ObjectCap } from '../capdl/index.ts';
import { rightsSet, type AbstractCap, type AbstractKind, type AuthorityInput } from './subjects.ts';

export function subjectsOfCapdl(model: CapdlModel): AuthorityInput {
  const subjects = tcbsOf(model).map((tcb) => {
    const caps: AbstractCap[] = [];
    // The CSpace roots count as held, as in STCC.hs: two TCBs with one root share a CNode.
    for (const [slot, cap] of model.objects.get(tcb)?.slots ?? []) if (cap.kind === 'object' && cap.targetType === 'cnode') caps.push(abstract(cap, `in slot ${slot} of tcb ${tcb}`));
    for (const held of cspaceOf(model, tcb).caps) caps.push(abstract(held.cap, `in ${held.container} slot ${held.slot}`));
    for (const held of vspaceFramesOf(model, tcb)) caps.push(abstract(held.cap, `mapped in ${held.container} slot ${held.slot}`));
    return { name: tcb, caps };
  });
  return { title: `capDL ${model.file} (TCBs)`, subjects };
}

function abstract(cap: ObjectCap, where: string): AbstractCap {
  const kind: AbstractKind = cap.targetType === 'ep' ? 'endpoint' : cap.targetType === 'notification' ? 'notification' : cap.targetType === 'frame' ? 'frame' : cap.targetType === 'cnode' ? 'cnode' : cap.targetType === 'tcb' && cap.reply === null ? 'tcb' : 'other';
  const rights = cap.rights.filter((r) => r !== 'P').join('');
  return { object: cap.target, kind, rights: rightsSet(rights), label: `${cap.targetType} ${cap.target}${cap.rights.length > 0 ? ` [${cap.rights.join('')}]` : ''}${cap.badge !== 0 ? ` badge ${cap.badge}` : ''} ${where}`, transferable: true };
}
