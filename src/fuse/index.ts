/**
 * The fuse layer: the engine's values as a read-only filesystem, `<mnt>/<hex2>/<hex64>`.
 */
export { mountEngine, FUSE_OPTIONS, type Mount, type MountOptions } from './mount.js';
export { FuseUnavailableError, FUSE_UNAVAILABLE } from './fuse-binding.js';
export type { FuseLogger } from './op-guard.js';
export { XATTR_KIND, XATTR_RECIPE, XATTR_STATE } from './xattrs.js';
