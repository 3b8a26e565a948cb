/** The local S3 (through S3's REST API): buckets, a bucket's folders and objects, a text preview and a download link. */
import { useState } from 'preact/hooks';
import { formatTime } from '../aws.js';
import { href, useLoad } from '../hooks.js';
import { downloadHref, listBuckets, listLevel, PREVIEW_BYTES, previewObject } from '../s3.js';

export function S3Page({ bucket, prefix }: { bucket?: string | undefined; prefix: string }) {
  if (!bucket) return <Buckets />;
  return <Objects bucket={bucket} prefix={prefix} />;
}

function Buckets() {
  const list = useLoad(async () => ({ buckets: await listBuckets() }), []);
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
  const list = useLoad(() => listLevel(bucket, prefix, token), [bucket, prefix, token]);
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
                return (
                  <tr>
                    <td>
                      <a
                        href="#"
                        onClick={async (ev) => {
                          ev.preventDefault();
                          const p = await previewObject(bucket, o.key);
                          setPreview({ key: o.key, ...p });
                        }}
                      >
                        {o.key.slice(prefix.length)}
                      </a>
                    </td>
                    <td class="num">{o.size.toLocaleString()}</td>
                    <td class="mono">{formatTime(o.modified)}</td>
                    <td>
                      <a href={downloadHref(bucket, o.key)} download>
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
            <p class="muted">{preview.size.toLocaleString()} bytes{preview.truncated ? ` — showing the first ${PREVIEW_BYTES / 1024} KiB` : ''}</p>
            {preview.binary ? <p class="muted">Binary object: download it to look inside.</p> : <pre class="code">{preview.text}</pre>}
          </div>
        )}
      </div>
    </>
  );
}
