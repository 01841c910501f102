/**
 * The source that prepares a confined realm, run inside it once (see realm.ts). It is trusted
 * code, so it is neither instrumented nor budgeted. In order:
 *   1. remove what ECMAScript has beyond computation: shared memory (SharedArrayBuffer,
 *      Atomics), garbage-collection observers (WeakRef, FinalizationRegistry), WebAssembly,
 *      Intl (the host's clock and locale), RegExp's legacy static properties (the last match of
 *      any process, readable by every other);
 *   2. replace the clocks and the randomness: Date and Date.now read the simulated clock,
 *      Math.random the seeded stream of the running crank (both through host hooks);
 *   3. define what the program API needs inside the realm: KernelError, the ctx facade, the
 *      copy of host data into the realm, the budget counter;
 *   4. harden: every intrinsic reachable from the global object is frozen, after turning the prototype properties that programs commonly assign on instances
 *      (name, message, toString, constructor...) into accessors that define an own property —
 *      freezing them would make `this.name = 'MyError'` throw (the "override mistake");
 *   5. hand the globals over as one frozen object and remove `globalThis`: a vm context's global
 *      object cannot be frozen (V8 refuses), so programs never reach it. The module wrapper binds
 *      every global a program may name as a const of its own scope (realm.ts), so an assignment
 *      to one throws, and any other name is a ReferenceError.
 */
export const REALM_SETUP_SOURCE = String.raw`
(function setupRealm(hooks) {
  'use strict';
  const g = globalThis;
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, freeze, isFrozen, keys } = Object;
  const ownKeys = Reflect.ownKeys;
  const isArray = Array.isArray;

  for (const name of ['SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry', 'WebAssembly', 'Intl', 'console']) delete g[name];
  for (const key of ownKeys(RegExp)) {
    const d = getOwnPropertyDescriptor(RegExp, key);
    if (d !== undefined && d.configurable && ('get' in d || 'set' in d)) delete RegExp[key];
  }

  const RealDate = Date;
  const SimDate = function Date(...args) {
    if (new.target === undefined) return new RealDate(hooks.now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [hooks.now()] : args, new.target);
  };
  defineProperty(SimDate, 'prototype', { value: RealDate.prototype });
  defineProperty(SimDate, 'length', { value: 7 });
  defineProperty(SimDate, 'now', { value: function now() { return hooks.now(); }, writable: true, configurable: true });
  defineProperty(SimDate, 'parse', { value: RealDate.parse, writable: true, configurable: true });
  defineProperty(SimDate, 'UTC', { value: RealDate.UTC, writable: true, configurable: true });
  defineProperty(RealDate.prototype, 'constructor', { value: SimDate, writable: true, configurable: true });
  defineProperty(g, 'Date', { value: SimDate, writable: true, configurable: true });
  defineProperty(Math, 'random', {
    value: function random() {
      const r = hooks.random();
      if (r < 0) throw new Error('Math.random is seeded per crank, and there is no crank running');
      return r;
    },
    writable: true,
    configurable: true,
  });

  class KernelError extends Error {
    constructor(code, message) {
      super(code + ': ' + message);
      defineProperty(this, 'name', { value: 'KernelError', writable: true, configurable: true });
      this.code = code;
    }
  }

  let left = 0;
  function step() {
    if (--left < 0) {
      left = -1;
      throw new RangeError('crank budget exceeded');
    }
  }
  const budget = freeze({ set(n) { left = n; }, spent() { return left < 0; } });

  const ObjectProto = Object.prototype;
  const ArrayProto = Array.prototype;
  const COPY_DEPTH_MAX = 64;
  function copyIn(value, depth) {
    if (typeof value !== 'object' || value === null) return value;
    if (depth <= 0) throw new RangeError('data nested too deep to hand to a program');
    if (isArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i++) out.push(copyIn(value[i], depth - 1));
      return freeze(out);
    }
    const out = {};
    for (const key of keys(value)) {
      const copy = copyIn(value[key], depth - 1);
      // An assignment makes the same own data property, faster; but not for a name the fresh
      // object inherits ('__proto__' would set its prototype, a frozen __defineGetter__ would
      // refuse), so those are defined.
      if (key in out) defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
      else out[key] = copy;
    }
    return freeze(out);
  }
  // Data the realm made is handed on as it is (it is the process's own, or frozen plain data);
  // data the host made is copied in, so that no host object, and through it the host's
  // Function, is ever in a program's reach.
  function adopt(value) {
    if (typeof value !== 'object' || value === null) return value;
    const proto = getPrototypeOf(value);
    if (proto === ObjectProto || proto === ArrayProto) return value;
    return copyIn(value, COPY_DEPTH_MAX);
  }
  const NO_SLOTS = freeze([]);
  function makeDelivery(type, badge, payload, caps, dropped, reply, error) {
    let slots = NO_SLOTS;
    if (caps.length > 0) {
      slots = [];
      for (let i = 0; i < caps.length; i++) slots.push(caps[i]);
    }
    return { type, badge, payload: adopt(payload), caps: slots, dropped, reply, error };
  }
  // One crossing into the realm per handler call: the budget set, the inputs copied in, the
  // handler called (from the same realm, so V8 may inline it) and the budget judged, all here.
  // The host had made four calls across for these, none of which V8 inlines.
  // steps < 0 keeps the budget already set (the instance was made inside this crank's budget).
  const apply = Reflect.apply;
  const SPENT = freeze({});
  function receive(fn, program, ctx, steps, state, type, badge, payload, caps, dropped, reply, error) {
    if (steps >= 0) left = steps;
    const out = apply(fn, program, [ctx, adopt(state), makeDelivery(type, badge, payload, caps, dropped, reply, error)]);
    return left < 0 ? SPENT : out;
  }
  function init(fn, program, ctx, steps, args) {
    if (steps >= 0) left = steps;
    const out = apply(fn, program, [ctx, adopt(args)]);
    return left < 0 ? SPENT : out;
  }
  // The ctx a program sees: realm functions that hold the host's syscall entries in their
  // closures, one per syscall (never reachable from the program: only the arrows are).
  function makeCtx(ops, self) {
    const { send: opSend, call: opCall, reply: opReply, copy: opCopy, mint: opMint, move: opMove, delete: opDelete, revoke: opRevoke, identify: opIdentify, compare: opCompare, slots: opSlots, createEndpoint: opCreateEndpoint, createStorage: opCreateStorage, read: opRead, write: opWrite, register: opRegister, unregister: opUnregister, names: opNames, lookup: opLookup, sturdy: opSturdy, restore: opRestore, unsturdy: opUnsturdy, log: opLog, exit: opExit } = ops;
    return freeze({
      get self() { return self(); },
      send: (a, b, c) => opSend(a, b, c),
      call: (a, b, c) => opCall(a, b, c),
      reply: (a, b, c) => opReply(a, b, c),
      copy: (a, b) => opCopy(a, b),
      mint: (a, b, c, d) => opMint(a, b, c, d),
      move: (a, b) => opMove(a, b),
      delete: (a) => opDelete(a),
      revoke: (a) => opRevoke(a),
      identify: (a) => opIdentify(a),
      compare: (a, b) => opCompare(a, b),
      slots: () => opSlots(),
      createEndpoint: () => opCreateEndpoint(),
      createStorage: (a) => opCreateStorage(a),
      read: (a) => opRead(a),
      write: (a, b) => opWrite(a, b),
      register: (a, b, c) => opRegister(a, b, c),
      unregister: (a, b) => opUnregister(a, b),
      names: (a) => opNames(a),
      lookup: (a) => opLookup(a),
      sturdy: (a) => opSturdy(a),
      restore: (a, b) => opRestore(a, b),
      unsturdy: (a) => opUnsturdy(a),
      log: (a) => opLog(a),
      exit: () => opExit(),
    });
  }

  const then = Promise.prototype.then;
  function settle(promise) {
    then.call(promise, undefined, () => undefined);
  }

  function enableOverride(object, key) {
    const d = getOwnPropertyDescriptor(object, key);
    if (d === undefined || !('value' in d) || !d.writable) return;
    const value = d.value;
    defineProperty(object, key, {
      get: function () { return value; },
      set: function (next) {
        if (this === object) throw new TypeError('cannot assign ' + String(key) + ' on a shared prototype');
        defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
      },
      enumerable: d.enumerable,
      configurable: false,
    });
  }
  for (const key of ['constructor', 'toString', 'valueOf', 'toLocaleString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']) enableOverride(ObjectProto, key);
  for (const E of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError]) {
    for (const key of ['name', 'message', 'constructor', 'toString']) enableOverride(E.prototype, key);
  }

  const api = { KernelError, STORE_SLOT: 0, READ: 1, WRITE: 2, GRANT: 4, WEAK: 8, ALL_RIGHTS: 7 };

  function harden(root) {
    const seen = new Set();
    const todo = [root];
    while (todo.length > 0) {
      const o = todo.pop();
      if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue;
      seen.add(o);
      const proto = getPrototypeOf(o);
      if (proto !== null) todo.push(proto);
      for (const key of ownKeys(o)) {
        const d = getOwnPropertyDescriptor(o, key);
        if (d === undefined) continue;
        if ('value' in d) todo.push(d.value);
        else todo.push(d.get, d.set);
      }
      if (!isFrozen(o)) freeze(o);
    }
    return seen.size;
  }
  // undefined, NaN and Infinity are immutable already, and eval may not be bound by a const.
  const UNBOUND = ['globalThis', 'undefined', 'NaN', 'Infinity', 'eval'];
  const globals = {};
  for (const name of ownKeys(g)) {
    if (typeof name !== 'string' || UNBOUND.includes(name)) continue;
    globals[name] = g[name];
  }
  delete g.globalThis;
  const globalNames = keys(globals);
  const helpers = { api, step, budget, adopt, receive, init, SPENT, makeCtx, settle, KernelError, globals, globalNames };
  const frozen = harden(helpers);
  return freeze({ ...helpers, frozen });
})
`;
