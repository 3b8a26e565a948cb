/** The local S3: buckets, a bucket's folders and objects, a text preview and a download link. */
import { useState } from 'preact/hooks';
import { consoleGet, formatTime } from '../aws.js';
import { href, useLoad } from '../hooks.js';

interface Listing {
  prefixes: string[];
  objects: { key: string; size: number; modified: number }[];
  nextToken?: string;
}

export function S3Page({ bucket, prefix }: { bucket?: string | undefined; prefix: string }) {
  if (!bucket) return <Buckets />;
  return <Objects bucket={bucket} prefix={prefix} />;
}

function Buckets() {
  const list = useLoad(() => consoleGet<{ buckets: { name: string; created: number }[] }>('s3/buckets'), []);
  return (
    <>
      <h1>Local S3</h1>
      {list.error && <div class="error-box">{list.error}</div>}
      <div class="panel flush">
        <table>
          <thead>
            <tr>
              <th>Bucket</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.buckets ?? []).map((b) => (
              <tr>
                <td>
                  <a href={href('s3', b.name, '')}>{b.name}</a>
                </td>
                <td class="mono">{formatTime(b.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data?.buckets.length === 0 && <p class="empty">No buckets.</p>}
      </div>
    </>
  );
}

function Objects({ bucket, prefix }: { bucket: string; prefix: string }) {
  const [token, setToken] = useState<string>();
  const list = useLoad(
    () => consoleGet<Listing>(`s3/list?bucket=${encodeURIComponent(bucket)}&prefix=${encodeURIComponent(prefix)}${token ? `&token=${encodeURIComponent(token)}` : ''}`),
    [bucket, prefix, token],
  );
  const [preview, setPreview] = useState<{ key: string; text: string; truncated: boolean; binary: boolean; size: number }>();
  const parts = prefix.split('/').filter(Boolean);
  return (
    <>
      <div class="crumbs">
        <a href={href('s3')}>Local S3</a> › <a href={href('s3', bucket, '')}>{bucket}</a>
        {parts.map((p, i) => (
          <>
            {' › '}
            <a href={href('s3', bucket, `${parts.slice(0, i + 1).join('/')}/`)}>{p}</a>
          </>
        ))}
      </div>
      <h1>
        s3://{bucket}/{prefix}
      </h1>
      {list.error && <div class="error-box">{list.error}</div>}
      <div class="split">
        <div class="panel flush" style="flex:1">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th class="num">Size</th>
                <th>Last modified</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(list.data?.prefixes ?? []).map((p) => (
                <tr>
                  <td>
                    📁 <a href={href('s3', bucket, p)}>{p.slice(prefix.length)}</a>
                  </td>
                  <td />
                  <td />
                  <td />
                </tr>
              ))}
              {(list.data?.objects ?? []).map((o) => {
                const q = `bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(o.key)}`;
                return (
                  <tr>
                    <td>
                      <a
                        href="#"
                        onClick={async (ev) => {
                          ev.preventDefault();
                          const p = await consoleGet<{ text: string; truncated: boolean; binary: boolean; size: number }>(`s3/object?${q}&preview=1`);
                          setPreview({ key: o.key, ...p });
                        }}
                      >
                        {o.key.slice(prefix.length)}
                      </a>
                    </td>
                    <td class="num">{o.size.toLocaleString()}</td>
                    <td class="mono">{formatTime(o.modified)}</td>
                    <td>
                      <a href={`/console/api/s3/object?${q}`} download>
                        Download
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {list.data && list.data.prefixes.length + list.data.objects.length === 0 && <p class="empty">Nothing under this prefix.</p>}
          {list.data?.nextToken && (
            <div class="pager">
              <button type="button" onClick={() => setToken(list.data!.nextToken)}>Next page</button>
            </div>
          )}
        </div>
        {preview && (
          <div class="panel side-panel" data-testid="s3-preview">
            <h2 class="mono" style="word-break:break-all">{preview.key}</h2>
            <p class="muted">{preview.size.toLocaleString()} bytes{preview.truncated ? ' — showing the first 64 KiB' : ''}</p>
            {preview.binary ? <p class="muted">Binary object: download it to look inside.</p> : <pre class="code">{preview.text}</pre>}
          </div>
        )}
      </div>
    </>
  );
}
