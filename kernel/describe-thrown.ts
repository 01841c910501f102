/**
 * What a program threw, as one readable line for its fault. A program may throw anything: null,
 * a string, an object with no prototype, a Proxy, an Error whose message is a getter that throws.
 * Describing it must neither throw nor run the program's code, so only data properties are read
 * (a getter is never called) and a Proxy is named, not inspected.
 */
import { types } from 'node:util';
import { KERNEL_ERROR_CODES } from './errors.ts';

const TEXT_MAX = 300;
const PROTO_DEPTH_MAX = 16;
const CODES: ReadonlySet<string> = new Set(KERNEL_ERROR_CODES);

/** A fault whose description is made already (by the confinement's wrapper of a program). */
export class ProgramFault extends Error {
  constructor(description: string) {
    super(description);
    this.name = 'ProgramFault';
  }
}

/**
 * One line: "Name: message" for an Error, "<thrower> threw <what>" for anything else, where
 * thrower names the code ("program 'tally'", "input(3)").
 */
export function describeThrown(value: unknown, thrower: string): string {
  if (value instanceof ProgramFault) return value.message;
  try {
    return describe(value, thrower);
  } catch {
    return `${thrower} threw a value that could not be described`;
  }
}

function describe(value: unknown, thrower: string): string {
  const threw = `${thrower} threw`;
  if (value === null) return `${threw} null`;
  if (value === undefined) return `${threw} undefined`;
  if (typeof value !== 'object' && typeof value !== 'function') return `${threw} ${typeof value} ${clip(String(value))}`;
  if (types.isProxy(value)) return `${threw} a Proxy`;
  if (Object.getPrototypeOf(value) === null) return `${threw} an object with no prototype`;
  const message = errorMessage(value);
  if (types.isNativeError(value)) {
    if (message === undefined) return `${threw} an Error whose message could not be read`;
    const name = dataString(value, 'name') ?? stackName(value);
    // A kernel error the program did not catch reads as it always has: "queue_full: ...".
    if (name === 'KernelError' && CODES.has(dataString(value, 'code') ?? '')) return clip(message);
    return clip(`${name ?? 'Error'}: ${message}`);
  }
  if (typeof value === 'function') return `${threw} a function`;
  const name = dataString(value, 'name');
  return message === undefined ? `${threw} an object that is not an Error` : clip(`${threw} an object with message: ${message}`);
}

/** The message: an own data property, else an inherited one ('' if none can be read); undefined when the own one is a getter. */
function errorMessage(error: object): string | undefined {
  const own = Object.getOwnPropertyDescriptor(error, 'message');
  if (own !== undefined) return 'value' in own ? (typeof own.value === 'string' ? own.value : '(a message that is not a string)') : undefined;
  return dataString(error, 'message') ?? '';
}

/** "TypeError" from a stack's first line, for an Error whose name is inherited through an accessor. */
function stackName(error: object): string | undefined {
  let stack: PropertyDescriptor | undefined;
  try {
    // V8 formats a stack when it is first read, calling the error's own name and message getters.
    stack = Object.getOwnPropertyDescriptor(error, 'stack');
  } catch {
    return undefined;
  }
  if (stack === undefined || !('value' in stack) || typeof stack.value !== 'string') return undefined;
  return /^([A-Za-z_$][\w$]*)/.exec(stack.value)?.[1];
}

/** A string-valued data property, own or inherited; undefined for a getter, a non-string or none. */
function dataString(object: object, key: string): string | undefined {
  let o: object | null = object;
  for (let depth = 0; o !== null && depth < PROTO_DEPTH_MAX; depth++) {
    if (types.isProxy(o)) return undefined;
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d !== undefined) return 'value' in d && typeof d.value === 'string' ? d.value : undefined;
    o = Object.getPrototypeOf(o) as object | null;
  }
  return undefined;
}

function clip(text: string): string {
  const line = text.replace(/\s*\n[\s\S]*$/, '');
  return line.length > TEXT_MAX ? `${line.slice(0, TEXT_MAX)}…` : line;
}
