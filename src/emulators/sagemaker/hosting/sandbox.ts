/**
 * A model server's sandbox: the same one as a job's (../sandbox/bwrap-args.ts: the runtime's
 * system folders read-only, no capabilities, new namespaces, no network with the model's
 * EnableNetworkIsolation) with the server's own folders:
 *  - `<root>/opt/ml` read-write at /opt/ml (the model, unpacked there by the server, and the code);
 *  - `<root>/tmp` at /tmp and `<root>/home` at /root (HOME);
 *  - the serving shims (python/hosting) and the downloaded archives read-only under /opt/mlops-sfn;
 *  - the folder of the server's unix socket at /run/mlops-sfn.
 * The server listens on that unix socket, not on a TCP port: the front reaches it from the host
 * whether or not the sandbox has a network of its own, and no other user of the machine can.
 * Network isolation (as SageMaker defines it for a model: no outbound calls, invocations still
 * arrive) is then exactly `--unshare-net`.
 *
 * --unshare-pid makes bwrap's child the init of a PID namespace, so killing bwrap (or the Node
 * process, through --die-with-parent) ends every process the user's code started.
 */
import { basename, join } from 'node:path';
import { LAYER_MOUNT } from '../pip-layer/index.js';
import { sandboxArgs, type SandboxSupport } from '../sandbox/index.js';

export const OPT_ML = '/opt/ml';
/** Where the serving shims (serve.py and its packages) appear inside the sandbox. */
export const SERVING_MOUNT = '/opt/mlops-sfn/hosting';
/** Where the downloaded model and code archives appear, read-only. */
export const ARCHIVE_MOUNT = '/opt/mlops-sfn/archives';
/** Where the folder of the server's socket appears. */
export const SOCKET_MOUNT = '/run/mlops-sfn';
export const SOCKET_NAME = 'model.sock';

export interface ServerSandboxSpec {
  /** The server's private folder (holding opt/ml, tmp, home). */
  readonly root: string;
  /** Host folder of serve.py. */
  readonly servingDir: string;
  /** Host paths of the archives the server unpacks (visible as ARCHIVE_MOUNT/<name>). */
  readonly archives: readonly string[];
  /** Host folder of the socket. */
  readonly socketDir: string;
  /** The interpreter's folders outside /usr. */
  readonly runtimeFolders: readonly string[];
  /** False with the model's EnableNetworkIsolation. */
  readonly network: boolean;
  /** The code's requirements.txt layer (host folder), read-only at LAYER_MOUNT. */
  readonly requirementsLayer?: string;
  readonly support: SandboxSupport;
}

/** Where an archive appears inside the sandbox. */
export function archiveInSandbox(hostPath: string): string {
  return `${ARCHIVE_MOUNT}/${basename(hostPath)}`;
}

/** bwrap's arguments up to and including "--". */
export function serverSandboxArgs(spec: ServerSandboxSpec): string[] {
  return [
    ...sandboxArgs({
      binds: [
        { host: join(spec.root, 'opt', 'ml'), visible: OPT_ML },
        { host: join(spec.root, 'tmp'), visible: '/tmp' },
        { host: join(spec.root, 'home'), visible: '/root' },
        { host: spec.servingDir, visible: SERVING_MOUNT, readOnly: true },
        ...(spec.requirementsLayer !== undefined ? [{ host: spec.requirementsLayer, visible: LAYER_MOUNT, readOnly: true }] : []),
        ...spec.archives.map((a) => ({ host: a, visible: archiveInSandbox(a), readOnly: true })),
        { host: spec.socketDir, visible: SOCKET_MOUNT },
      ],
      runtimeFolders: spec.runtimeFolders,
      network: spec.network,
      cwd: '/',
      support: spec.support,
    }),
    '--',
  ];
}
