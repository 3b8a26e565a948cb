/**
 * The SageMaker images mlops-sfn knows, read from data/runtimes.json (data, not code: a new image
 * version is a new row). Each row names an image (repository, tags, the account that publishes it
 * in each region, as the SageMaker Python SDK's image_uri_config lists them) and what the local
 * runtime standing in for it needs: the interpreter, the modules the image ships with the versions
 * the real image pins and the Debian package providing each here, the image's ENV, how its `train`
 * command behaves, which model server it starts, and the metric definitions SageMaker attaches to
 * training jobs on it. Deploys (image URIs per region) and local runs (runtimes) read the same rows.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from './package-root.js';

/**
 * What `train` (a training job with no ContainerEntrypoint) does on the image:
 *  - `toolkit`: the SageMaker training toolkit, script mode (sagemaker_program);
 *  - `xgboost-algorithm`: script mode when sagemaker_program is given, else XGBoost's built-in algorithm;
 *  - `command`: no toolkit; `train` is whatever the image's ENTRYPOINT/PATH make of it.
 */
export type TrainingContract = 'toolkit' | 'xgboost-algorithm' | 'command';

/** The model server `serve` starts: the scikit-learn container's or the XGBoost container's. */
export type ServingStack = 'sklearn' | 'xgboost';

export interface MetricDefinition {
  readonly Name: string;
  readonly Regex: string;
}

export interface RuntimeModule {
  /** The import name (`sklearn`). */
  readonly module: string;
  /** The distribution name the image pins (`scikit-learn`). */
  readonly library: string;
  /** The Debian package that provides it on this machine. */
  readonly debian: string;
}

/** One row of data/runtimes.json. */
export interface RuntimeRow {
  readonly name: string;
  readonly title: string;
  readonly repository: string;
  readonly tags: readonly string[];
  /** The tag deploys use. */
  readonly defaultTag: string;
  /** Region -> 12-digit account that publishes the image there. */
  readonly accounts: Readonly<Record<string, string>>;
  readonly python: string;
  /** What the real image has: its Python and the versions of its libraries (by distribution name). */
  readonly image: { readonly python: string; readonly libraries: Readonly<Record<string, string>> };
  readonly modules: readonly RuntimeModule[];
  readonly training: TrainingContract;
  readonly serving: ServingStack;
  readonly env: Readonly<Record<string, string>>;
  readonly metricDefinitions: readonly MetricDefinition[];
}

let rows: readonly RuntimeRow[] | undefined;

export function runtimeRows(): readonly RuntimeRow[] {
  rows ??= (JSON.parse(readFileSync(packageFile('data', 'runtimes.json'), 'utf8')) as { runtimes: RuntimeRow[] }).runtimes;
  return rows;
}

/** The row for an image repository (`sagemaker-xgboost`), if the table has one. */
export function runtimeRow(repository: string): RuntimeRow | undefined {
  return runtimeRows().find((r) => r.repository === repository);
}

/** The DNS suffix of a region's partition (what `AWS::URLSuffix` resolves to there). */
export function urlSuffixFor(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  return 'amazonaws.com';
}

/** The account publishing the row's image in a region, if it is published there. */
export function imageAccount(row: RuntimeRow, region: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(row.accounts, region) ? row.accounts[region] : undefined;
}

/** `<account>.dkr.ecr.<region>.<suffix>/<repository>:<tag>`, or undefined where the image is not published. */
export function imageUri(row: RuntimeRow, region: string, tag = row.defaultTag): string | undefined {
  const account = imageAccount(row, region);
  return account === undefined ? undefined : `${account}.dkr.ecr.${region}.${urlSuffixFor(region)}/${row.repository}:${tag}`;
}

/**
 * The row whose image this URI names exactly (a listed region's account, or the bare
 * `repository:tag`), if any. Lookups by URI are what SageMaker's own checks on its images need
 * (the metric definitions of its algorithms); local runs also honour the user's runtimes.json.
 */
export function rowForImage(image: string): RuntimeRow | undefined {
  const m = /^(?:(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.[a-z0-9.]+\/)?([^/:@]+):([^/:@]+)$/.exec(image);
  if (m === null) return undefined;
  const [, account, region, repository, tag] = m;
  const row = runtimeRow(repository!);
  if (row === undefined || !row.tags.includes(tag!)) return undefined;
  if (account !== undefined && (imageAccount(row, region!) !== account || image !== imageUri(row, region!, tag))) return undefined;
  return row;
}

/** The metric definitions SageMaker attaches to training jobs on one of its algorithm images (none for others). */
export function builtinMetricDefinitions(image: string | undefined): readonly MetricDefinition[] {
  return image === undefined ? [] : (rowForImage(image)?.metricDefinitions ?? []);
}
