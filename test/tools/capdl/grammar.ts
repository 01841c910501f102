/**
 * A capDL description written for these tests that uses every part of the grammar: arch,
 * objects (arrays, qualified names, nested untypeds, covers, every kind of parameter), caps
 * (numbered and unnumbered slots, symbolic slots, slot names, arrays of names, copies, masked,
 * child_of, badges, rights R W G X P, guards, reply, asid, cached), cap name declarations,
 * irq maps, cdt and domains, with both kinds of comment, nested.
 */
export const WHOLE_GRAMMAR = `
/* a file comment /* with a nested one */ still a comment */
arch aarch64 -- the architecture

objects {
  pool = ut (20 bits, paddr: 0x1000) {
    inner/deep = tcb (init: [1, 2], dom: 3, prio: 010, resume: True, fault_ep: 0o17)
    loose
  }
  loose = ut
  server = tcb (ip: 0x400, sp: 0x800)
  client = tcb
  server_cn = cnode (4 bits)
  client_cn = cnode (3 bits)
  eps[4] = ep
  note = notification
  page = frame (4k)
  big = frame (2M, fill: [{0 4096 CDL_FrameFill_FileData "a.bin" 0}])
  dev = io_device (domainID: 1, 0:1.2)
  ports = io_ports (ports: [0x10..0x20])
  vm = pgd
  line = arm_irq (trigger: level, target: 1)
}

caps {
  server {
    cspace: server_cn (guard: 0, guard_size: 60)
    vspace: vm
  }
  client { cspace: client_cn }
  server_cn {
    1: recv = eps[0] (R)
    2: eps[1..2] (RWXP)
    eps[3] (badge: 0x20, W);
    6: note (R W)
    7: client (reply)
    8: page (RW, asid: (1, 2), uncached)
    9: ctl = irq_control
  }
  client_cn {
    0: send = eps[0] (W, badge: 7)
    1: copy = <send> (masked: R)
    2: again = <copy>
    3: grants[] = eps[1, 2] (G)
    5: <grants[]> - child_of send
    7: page (R) - child_of (server_cn, 8)
    8: <ctl>
  }
  vm { 0: page (R) }
  named = (server_cn, 6)
}

irq maps {
  3: line
  line
}

cdt {
  (server_cn, 1) {
    named;
    (client_cn, 0) { (client_cn, 1) }
  }
}

domains {
  schedule: [(0, 10), (1, 5),]
  domain_set_start: no_start
  index_shift: 2
}
`;
