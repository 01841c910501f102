/** capDL: read it (syntax → model), import it onto capsim, export capsim to it. */
export { CapdlError, type SourcePosition } from './syntax/errors.ts';
export { parseCapdl } from './syntax/parser.ts';
export { readCapdl } from './model/build.ts';
export type { CapdlModel, CapdlObject, CapdlCap, ObjectCap } from './model/model.ts';
export { cspaceOf, vspaceFramesOf, tcbsOf } from './model/spaces.ts';
export { projectModel, LOADER_NAME, type ImportResult, type ImportReport, type ImportOptions, type DroppedItem } from './import/project.ts';
export { CAPDL_PROGRAMS, DEFAULT_PROGRAM, LOADER_PROGRAM, type CapdlOverlay } from './import/programs.ts';
export { exportCapdl, cnodeBits } from './export/export.ts';
export { specOfKernel } from './export/from-kernel.ts';
