/**
 * A pure-Python wheel built by the test itself (zip + METADATA, WHEEL, RECORD, as the wheel format
 * defines it), for installing requirements.txt from a local folder without any network.
 */
import { execFileSync } from 'node:child_process';

const BUILD_PY = `
import base64, hashlib, sys, zipfile
name, ver, value, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
files = {name + '/__init__.py': ('VALUE = %s\\n' % value).encode(),
         name + '-' + ver + '.dist-info/METADATA': ('Metadata-Version: 2.1\\nName: ' + name + '\\nVersion: ' + ver + '\\n').encode(),
         name + '-' + ver + '.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = []
with zipfile.ZipFile(out + '/' + name + '-' + ver + '-py3-none-any.whl', 'w') as z:
    for n, d in files.items():
        z.writestr(n, d)
        record.append('%s,sha256=%s,%d' % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode(), len(d)))
    record.append(name + '-' + ver + '.dist-info/RECORD,,')
    z.writestr(name + '-' + ver + '.dist-info/RECORD', '\\n'.join(record) + '\\n')
`;

/** Writes `<name>-<version>-py3-none-any.whl` into `dir`: a package whose `VALUE` is `value`. */
export function buildWheel(dir: string, name = 'mlopsdemo', version = '1.0', value = 42): void {
  execFileSync('/usr/bin/python3', ['-c', BUILD_PY, name, version, String(value), dir]);
}
