/**
 * requirements.txt layers: pip installs a source folder's requirements.txt, in a sandbox of its own,
 * into a cached virtual environment over the runtime's Python that jobs and model servers see
 * read-only at LAYER_MOUNT (see pip-layer.ts).
 */
export {
  installRequirementsError,
  layerKey,
  LAYER_MOUNT,
  pipEnvironment,
  PipInstallStopped,
  PipLayerUnavailable,
  readArchiveMember,
  requirementsLayer,
  RequirementsInstallError,
  type LayerLog,
  type LayerOptions,
  type RequirementsLayer,
  type RequirementsSource,
} from './pip-layer.js';
