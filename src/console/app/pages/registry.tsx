/** The model registry: groups, their versions with metrics and approval, and two versions compared. */
import { useState } from 'preact/hooks';
import { formatTime, sagemaker, toMs } from '../aws.js';
import { useLoad } from '../hooks.js';

interface Group {
  ModelPackageGroupName: string;
  CreationTime: number;
  ModelPackageGroupDescription?: string;
}

interface Version {
  ModelPackageArn: string;
  ModelPackageVersion: number;
  ModelApprovalStatus: string;
  CreationTime: number;
  ApprovalDescription?: string;
  CustomerMetadataProperties?: Record<string, string>;
  LastModifiedTime?: number;
}

const metricsOf = (v: Version): Record<string, number> =>
  Object.fromEntries(
    Object.entries(v.CustomerMetadataProperties ?? {})
      .filter(([k]) => k.startsWith('metric:'))
      .map(([k, x]) => [k.slice('metric:'.length), Number(x)]),
  );

export function RegistryPage() {
  const groups = useLoad(async () => (await sagemaker<{ ModelPackageGroupSummaryList: Group[] }>('ListModelPackageGroups', { MaxResults: 100 })).ModelPackageGroupSummaryList, [], 5000);
  return (
    <>
      <h1>Model registry</h1>
      {groups.error && <div class="error-box">{groups.error}</div>}
      {groups.data?.length === 0 && <div class="panel empty">No model package group yet: a pipeline run registers its model here.</div>}
      {(groups.data ?? []).map((g) => (
        <GroupVersions key={g.ModelPackageGroupName} group={g} />
      ))}
    </>
  );
}

function GroupVersions({ group }: { group: Group }) {
  const versions = useLoad(async () => {
    const list = await sagemaker<{ ModelPackageSummaryList: { ModelPackageArn: string }[] }>('ListModelPackages', { ModelPackageGroupName: group.ModelPackageGroupName, MaxResults: 100, SortBy: 'CreationTime', SortOrder: 'Descending' });
    return Promise.all(list.ModelPackageSummaryList.map((s) => sagemaker<Version>('DescribeModelPackage', { ModelPackageName: s.ModelPackageArn })));
  }, [group.ModelPackageGroupName], 5000);
  const [compare, setCompare] = useState<string[]>([]);
  const rows = versions.data ?? [];
  const metricNames = [...new Set(rows.flatMap((v) => Object.keys(metricsOf(v))))].sort();
  const chosen = rows.filter((v) => compare.includes(v.ModelPackageArn));
  return (
    <div class="panel flush">
      <div class="panel-head">
        <h2>{group.ModelPackageGroupName}</h2>
        <span class="muted">created {formatTime(toMs(group.CreationTime))}</span>
        <span class="grow" />
        <span class="muted">Tick two versions to compare them</span>
      </div>
      {versions.error && <div class="error-box">{versions.error}</div>}
      <table>
        <thead>
          <tr>
            <th />
            <th>Version</th>
            <th>Approval</th>
            {metricNames.map((m) => (
              <th class="num">{m}</th>
            ))}
            <th>Decision</th>
            <th>Registered</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => {
            const m = metricsOf(v);
            return (
              <tr>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`compare version ${v.ModelPackageVersion}`}
                    checked={compare.includes(v.ModelPackageArn)}
                    onChange={(e) => {
                      const on = (e.target as HTMLInputElement).checked;
                      setCompare((c) => (on ? [...c, v.ModelPackageArn].slice(-2) : c.filter((x) => x !== v.ModelPackageArn)));
                    }}
                  />
                </td>
                <td>{v.ModelPackageVersion}</td>
                <td>
                  <span class={`status ${v.ModelApprovalStatus}`}>{v.ModelApprovalStatus}</span>
                </td>
                {metricNames.map((n) => (
                  <td class="num">{m[n] === undefined ? '–' : m[n]!.toFixed(4)}</td>
                ))}
                <td>{v.ApprovalDescription ?? ''}</td>
                <td class="mono">{formatTime(toMs(v.CreationTime))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {chosen.length === 2 && (
        <div style="padding:1rem 1.25rem" data-testid="compare">
          <h3>Version {chosen[0]!.ModelPackageVersion} vs version {chosen[1]!.ModelPackageVersion}</h3>
          <table>
            <thead>
              <tr>
                <th>Metric</th>
                <th class="num">v{chosen[0]!.ModelPackageVersion}</th>
                <th class="num">v{chosen[1]!.ModelPackageVersion}</th>
                <th class="num">Difference</th>
              </tr>
            </thead>
            <tbody>
              {metricNames.map((n) => {
                const a = metricsOf(chosen[0]!)[n];
                const b = metricsOf(chosen[1]!)[n];
                const diff = a !== undefined && b !== undefined ? b - a : undefined;
                return (
                  <tr>
                    <td>{n}</td>
                    <td class="num">{a?.toFixed(4) ?? '–'}</td>
                    <td class="num">{b?.toFixed(4) ?? '–'}</td>
                    <td class={`num ${diff === undefined ? '' : diff >= 0 ? 'check-ok' : 'check-bad'}`}>{diff === undefined ? '–' : `${diff >= 0 ? '+' : ''}${diff.toFixed(4)}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
