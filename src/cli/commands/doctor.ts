/**
 * `mlops-sfn doctor`: whether this machine can run the pipeline's SageMaker images locally. For
 * each runtime (data/runtimes.json's rows and the images mapped in <home>/runtimes.json): found or
 * not, the Python and library versions here beside the real image's, and what to install for what
 * is missing; and whether the sandbox jobs and model servers run in is available. Exits 1 when a
 * runtime or the sandbox is unusable, so scripts can check a machine before a run.
 */
import type { Command } from 'commander';
import { diagnoseRuntimes, type Diagnosis, type RuntimeState } from '../../emulators/sagemaker/runtimes/index.js';

interface DoctorOptions {
  json?: boolean;
}

export function registerDoctorCommand(program: Command, getHome: () => string): void {
  program
    .command('doctor')
    .description('Check the local runtimes of the SageMaker images (Python, library versions) and the job sandbox; say what to install')
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nRuntimes come from the package\'s data/runtimes.json and from <home>/runtimes.json, where other images\n' +
        '(your own containers) are mapped to a local Python, e.g. a virtual environment:\n' +
        '  {"profiles": [{"images": ["*.amazonaws.com/my-image:*"], "python": "/opt/venv/bin/python3", "serving": "sklearn"}]}\n' +
        'Exit status: 0 when every runtime and the sandbox are ready (or MLOPS_SFN_SANDBOX=off), 1 otherwise.',
    )
    .action(async (opts: DoctorOptions) => {
      const d = await diagnoseRuntimes(getHome());
      process.stdout.write((opts.json ? JSON.stringify(d, null, 2) : formatDiagnosis(d)) + '\n');
      if (!healthy(d)) process.exitCode = 1;
    });
}

export function healthy(d: Diagnosis): boolean {
  return d.runtimes.every((r) => r.ready) && (d.sandbox.available || d.sandbox.mode === 'none') && d.userFileProblem === undefined;
}

function version(v: string | null): string {
  if (v === null) return 'MISSING';
  return v === '' ? 'installed' : v;
}

function formatRuntime(r: RuntimeState): string {
  const lines = [`${r.ready ? 'ok  ' : 'FAIL'} ${r.title}${r.source === 'user' ? ' (runtimes.json)' : ''}`];
  lines.push(`     images:  ${r.images.join(', ')}`);
  lines.push(`     python:  ${r.python} ${r.localPython ?? 'MISSING'}${r.imagePython ? ` (image: ${r.imagePython})` : ''}`);
  lines.push(`     train:   ${r.training}   serve: ${r.serving}`);
  for (const m of r.modules) {
    const image = m.imageVersion ? ` (image: ${m.imageVersion})` : '';
    lines.push(`     ${m.library.padEnd(13)} ${version(m.localVersion)}${image}`);
  }
  if (r.problem !== undefined) lines.push(`     problem: ${r.problem}`);
  if (r.install !== undefined) lines.push(`     install: ${r.install}`);
  return lines.join('\n');
}

export function formatDiagnosis(d: Diagnosis): string {
  const out = d.runtimes.map(formatRuntime);
  if (d.userFileProblem !== undefined) out.push(`FAIL ${d.userFileProblem}`);
  else if (!d.runtimes.some((r) => r.source === 'user')) out.push(`     (no other images mapped: ${d.runtimesFile} is absent)`);
  const s = d.sandbox;
  if (s.available) out.push(`ok   sandbox: ${s.bwrap}${s.userNamespace ? ' with a user namespace' : ' (root, no user namespace)'}${s.mode === 'none' ? ' — but MLOPS_SFN_SANDBOX=off: jobs run unsandboxed' : ''}`);
  else out.push(`${s.mode === 'none' ? 'warn' : 'FAIL'} sandbox: ${s.problem}${s.mode === 'none' ? ' (MLOPS_SFN_SANDBOX=off: jobs run unsandboxed, each with a warning)' : ''}`);
  out.push('All Debian packages at once: scripts/install-system-packages.sh');
  return out.join('\n');
}
