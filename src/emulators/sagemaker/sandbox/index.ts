export { sandboxArgs, SANDBOX_HOSTNAME, type Bind, type SandboxSpec, type SandboxSupport } from './bwrap-args.js';
export {
  bwrapMissingMessage,
  clearSandboxSupportCache,
  findBwrap,
  noNamespacesMessage,
  SANDBOX_ENV,
  sandboxMode,
  sandboxModeFrom,
  sandboxSupport,
  SandboxUnavailable,
  unsandboxedWarning,
  type SandboxMode,
} from './availability.js';
export { runtimeFolders } from './system-folders.js';
export { endStraySandboxes, ticksNow } from './stray-sandboxes.js';
