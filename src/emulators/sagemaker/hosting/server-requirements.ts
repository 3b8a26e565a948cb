/**
 * A model server's requirements.txt, installed before it starts as the serving containers do at
 * start-up (the scikit-learn container pip-installs the code folder with its requirements.txt;
 * the inference toolkit installs /opt/ml/model/code/requirements.txt): into a cached layer over
 * the runtime (../pip-layer), seen read-only by the server and put on its PYTHONPATH. The file is
 * found in the staged code folder (SAGEMAKER_SUBMIT_DIRECTORY as an S3 prefix), in the source
 * archive, or in model.tar.gz for code repacked under /opt/ml/model. A failed install fails the
 * start: the endpoint's FailureReason is the ping check's, the pip error is the local cause.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PipInstallStopped, PipLayerUnavailable, readArchiveMember, requirementsLayer, RequirementsInstallError, type RequirementsLayer } from '../pip-layer/index.js';
import { runtimeFolders, sandboxMode, sandboxSupport, type SandboxSupport } from '../sandbox/index.js';
import { ModelServerStartError } from './errors.js';
import type { ResolvedHostingOptions } from './hosting-options.js';
import type { LogSink } from './log-sink.js';
import { hostPath, type StagedModel } from './stage-model.js';
import { OPT_ML } from './sandbox.js';

/** pip may take this long at a server's start (the image's start-up window is much shorter on AWS). */
const INSTALL_TIMEOUT_MS = 15 * 60_000;

async function requirementsFolder(staged: StagedModel): Promise<string | undefined> {
  const codeHost = hostPath(staged.root, staged.codeDir);
  if (existsSync(join(codeHost, 'requirements.txt'))) return codeHost;
  let text: Buffer | undefined;
  if (staged.codeArchive !== undefined) text = await readArchiveMember(staged.codeArchive, ['requirements.txt', './requirements.txt']);
  else if (staged.modelArchive !== undefined && staged.codeDir.startsWith(`${OPT_ML}/model/`)) {
    const rel = staged.codeDir.slice(`${OPT_ML}/model/`.length);
    text = await readArchiveMember(staged.modelArchive, [`${rel}/requirements.txt`, `./${rel}/requirements.txt`]);
  }
  if (text === undefined) return undefined;
  const dir = join(staged.root, 'requirements-src');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'requirements.txt'), text);
  return dir;
}

export interface ServerRequirementsOptions {
  readonly staged: StagedModel;
  readonly home: string;
  readonly python: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly networkIsolation: boolean | undefined;
  readonly log: LogSink;
  readonly options: ResolvedHostingOptions;
  /** This machine's environment, for pip's settings (default process.env). */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
}

/** The server's layer, or undefined when its code has no requirements.txt; throws a ModelServerStartError when pip fails. */
export async function installServerRequirements(o: ServerRequirementsOptions): Promise<RequirementsLayer | undefined> {
  const codeDir = await requirementsFolder(o.staged);
  if (codeDir === undefined) return undefined;
  const fail = (detail: string): ModelServerStartError => new ModelServerStartError('requirements', detail, o.log.file);
  const mode = sandboxMode(o.options.sandbox);
  let support: SandboxSupport | undefined;
  let folders: string[] = [];
  if (mode === 'bwrap') {
    try {
      support = await sandboxSupport(o.options.bwrapPath);
    } catch (e) {
      throw fail((e as Error).message);
    }
    const found = runtimeFolders(o.python, o.home);
    if ('problem' in found) throw fail(found.problem);
    folders = found.folders;
  }
  try {
    return await requirementsLayer(
      { codeDir },
      {
        home: o.home,
        python: o.python,
        runtimeFolders: folders,
        scratchDir: o.staged.root,
        mode,
        support,
        network: o.networkIsolation !== true,
        requestEnv: o.environment,
        ...(o.hostEnv !== undefined ? { hostEnv: o.hostEnv } : {}),
        log: { write: (line) => o.log.line(line) },
        signal: new AbortController().signal,
        maxRuntimeMs: INSTALL_TIMEOUT_MS,
      },
    );
  } catch (e) {
    if (e instanceof RequirementsInstallError || e instanceof PipLayerUnavailable || e instanceof PipInstallStopped) throw fail(e.message);
    throw e;
  }
}
